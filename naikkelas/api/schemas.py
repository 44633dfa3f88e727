"""What every API router shares: the error shape, loose input, and paging.

Every list endpoint takes `page` and `page_size` (at most 100) and answers
`{"count": total, "page": n, "page_size": n, "items": [...]}`; nothing is cut off silently. Errors answer
`{"detail": ...}` (api/api.py turns services' ValidationError and PermissionDenied into it).
"""

from typing import Generic, TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000
# Services read and explain bad values in Indonesian (core.validation), so schemas take them as typed.
Loose = int | float | str | None

T = TypeVar("T")


class ErrorOut(Schema):
    detail: object


class Paging(Schema):
    page: int = 1
    page_size: int = 25


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def error_detail(exc: ValidationError) -> list[dict]:
    """A service's refusal as every answer gives it: [{"field", "message"}] (the API, and the pages that post with
    fetch, such as the visit form)."""
    return [
        {"field": field, "message": message}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


def page_of(rows, paging: Paging, count: int | None = None, out=None) -> dict:
    """One page of a queryset (or a list): the total, the page asked for and its items (each passed through
    `out` when given). A page or size out of range is refused with the field named (a huge page number would
    overflow the database's OFFSET)."""
    if not 1 <= paging.page <= MAX_PAGE:
        raise ValidationError({"page": [_("page must be between 1 and %(max)d.") % {"max": MAX_PAGE}]})
    if not 1 <= paging.page_size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [_("page_size must be between 1 and %(max)d.") % {"max": MAX_PAGE_SIZE}]}
        )
    if count is None:
        count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    start = (paging.page - 1) * paging.page_size
    items = list(rows[start : start + paging.page_size])
    if out is not None:
        items = [out(item) for item in items]
    return {"count": count, "page": paging.page, "page_size": paging.page_size, "items": items}
