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
