"""An uploaded file as a path on disk, for readers that open files by name (calamine, the CSV sniffer)."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def upload_on_disk(upload) -> Iterator[str]:
    """The upload written to a temporary file with the same extension; removed when the block ends."""
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        yield tmp.name


# Documents people attach (application papers, RAT minutes): the content decides, not the name. A page or a
# script named .pdf is refused, so nothing the office later opens from naikkelas can run in its browser.
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def document_ok(upload) -> bool:
    """Is this upload a PDF, JPEG or PNG by its first bytes, named as what it is, and at most 10 MB?"""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in DOCUMENT_SIGNATURES or (getattr(upload, "size", 0) or 0) > DOCUMENT_MAX_BYTES:
        return False
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if isinstance(head, str):
        head = head.encode()
    return any(head.startswith(sig) for sig in DOCUMENT_SIGNATURES[ext])
