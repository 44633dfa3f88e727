"""An uploaded file as a path on disk, for readers that open files by name (calamine, the CSV sniffer)."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


@contextmanager
def upload_on_disk(upload) -> Iterator[str]:
    """The upload written to a temporary file with the same extension; removed when the block ends."""
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix.lower()) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        yield tmp.name


def _remote_copy(name: str) -> Path:
    return Path(settings.DATA_DIR) / "remote-files" / name


def local_path(field_file) -> str:
    """A stored file as a path on this machine: itself on local storage; on S3-compatible storage a private copy
    in the data folder, fetched once and removed with the file (forget_local_copy) or by purge_uploads."""
    try:
        return field_file.path
    except NotImplementedError:
        pass
    target = _remote_copy(field_file.name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = target.with_name(target.name + ".part")
        with field_file.open("rb") as source, partial.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        os.replace(partial, target)
    return str(target)


def forget_local_copy(name: str) -> None:
    if name:
        _remote_copy(name).unlink(missing_ok=True)


def purge_local_copies(older_than) -> int:
    """Delete this machine's copies of stored files fetched before `older_than` (an aware datetime)."""
    folder = Path(settings.DATA_DIR) / "remote-files"
    if not folder.is_dir():
        return 0
    cutoff = older_than.timestamp()
    old = [path for path in folder.rglob("*") if path.is_file() and path.stat().st_mtime < cutoff]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


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
