"""Photos people upload from phones (visit photos, SOP evidence): turned upright, shrunk, stored as JPEG."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_INVALID = gettext_lazy("Photo %(name)s: not a picture naikkelas can read (use JPEG, PNG or WebP).")
PHOTO_TOO_LARGE = gettext_lazy("Photo %(name)s: larger than %(mb)s MB.")
PHOTO_MAX_MB = 10


def shrunk_jpeg(upload, *, max_px: int, field: str = "photos") -> ContentFile:
    """The photo upright, at most `max_px` on its longest side, as JPEG; a ValidationError on `field` if it
    is not a picture or too large."""
    name = getattr(upload, "name", "foto")
    if getattr(upload, "size", 0) > PHOTO_MAX_MB * 1024 * 1024:
        raise ValidationError({field: [str(PHOTO_TOO_LARGE) % {"name": name, "mb": PHOTO_MAX_MB}]})
    try:
        with Image.open(upload) as img:
            img.draft("RGB", (max_px * 2, max_px * 2))
            img = ImageOps.exif_transpose(img).convert("RGB")
            img.thumbnail((max_px, max_px))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=80, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError({field: [str(PHOTO_INVALID) % {"name": name}]}) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex[:12]}.jpg")
