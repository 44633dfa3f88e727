"""Photos people upload from phones (visit photos, SOP evidence, products): turned upright, shrunk, re-encoded
(JPEG, and WebP where a page can offer it)."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_INVALID = gettext_lazy("Photo %(name)s: not a picture naikkelas can read (use JPEG, PNG or WebP).")
PHOTO_TOO_LARGE = gettext_lazy("Photo %(name)s: larger than %(mb)s MB.")
PHOTO_MAX_MB = 10


def upright(upload, *, max_px: int, field: str = "photos") -> Image.Image:
    """The photo upright in RGB, at most `max_px` on its longest side; a ValidationError on `field` if it is not
    a picture or too large."""
    name = getattr(upload, "name", "foto")
    if getattr(upload, "size", 0) > PHOTO_MAX_MB * 1024 * 1024:
        raise ValidationError({field: [str(PHOTO_TOO_LARGE) % {"name": name, "mb": PHOTO_MAX_MB}]})
    try:
        with Image.open(upload) as img:
            img.draft("RGB", (max_px * 2, max_px * 2))
            img = ImageOps.exif_transpose(img).convert("RGB")
            img.thumbnail((max_px, max_px))
            img.load()
            return img
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError({field: [str(PHOTO_INVALID) % {"name": name}]}) from None


def encoded(img: Image.Image, fmt: str, *, stem: str | None = None) -> ContentFile:
    out = io.BytesIO()
    if fmt == "WEBP":
        img.save(out, "WEBP", quality=72, method=4)
    else:
        img.save(out, "JPEG", quality=80, optimize=True, progressive=True)
    ext = "webp" if fmt == "WEBP" else "jpg"
    return ContentFile(out.getvalue(), name=f"{stem or uuid.uuid4().hex[:12]}.{ext}")


def shrunk_jpeg(upload, *, max_px: int, field: str = "photos") -> ContentFile:
    return encoded(upright(upload, max_px=max_px, field=field), "JPEG")


def renditions(upload, *, large: int, small: int, field: str = "photos") -> dict:
    """A large and a small copy, each as WebP and JPEG (for <picture>), and the large one's size."""
    img = upright(upload, max_px=large, field=field)
    thumb = img.copy()
    thumb.thumbnail((small, small))
    stem = uuid.uuid4().hex[:12]
    return {
        "large_webp": encoded(img, "WEBP", stem=stem), "large_jpeg": encoded(img, "JPEG", stem=stem),
        "small_webp": encoded(thumb, "WEBP", stem=stem + "-s"), "small_jpeg": encoded(thumb, "JPEG", stem=stem + "-s"),
        "width": img.width, "height": img.height,
    }  # fmt: skip
