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
PHOTO_TOO_MANY_PIXELS = gettext_lazy(
    "Photo %(name)s: %(mpx)s megapixels is more than the %(max)s naikkelas takes; send a smaller photo."
)
PHOTO_MAX_MB = 10
# A phone photo is 12–50 Mpx; a file of a few hundred KB can claim 120 Mpx (11,000 × 11,000) and take 1.5 GB to
# decode. The size in its header is checked before a single pixel is decoded.
PHOTO_MAX_PIXELS = 50_000_000


def upright(upload, *, max_px: int, field: str = "photos") -> Image.Image:
    """The photo upright in RGB, at most `max_px` on its longest side; a ValidationError on `field` if it is not
    a picture or too large."""
    name = getattr(upload, "name", "foto")
    if getattr(upload, "size", 0) > PHOTO_MAX_MB * 1024 * 1024:
        raise ValidationError({field: [str(PHOTO_TOO_LARGE) % {"name": name, "mb": PHOTO_MAX_MB}]})
    try:
        with Image.open(upload) as img:
            if img.width * img.height > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    {
                        field: [
                            str(PHOTO_TOO_MANY_PIXELS)
                            % {
                                "name": name,
                                "mpx": round(img.width * img.height / 1e6),
                                "max": PHOTO_MAX_PIXELS // 10**6,
                            }
                        ]
                    }
                )
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


def decode_all(uploads, decode) -> tuple[list, list[str]]:
    """Decode every upload with `decode` (before a service opens its transaction: decoding takes seconds and
    memory, and must not hold the database's write lock); returns the results and the messages of the failures."""
    results, messages = [], []
    for upload in uploads:
        try:
            results.append(decode(upload))
        except ValidationError as err:
            for field_messages in err.message_dict.values():
                messages.extend(field_messages)
    return results, messages
