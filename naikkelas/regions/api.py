"""GET /api/v1/regions: the region tree, one level at a time. Public data, no login needed."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Page, Paging, page_of
from naikkelas.regions.models import CODE_PATTERN, LEVEL_KEYS
from naikkelas.regions.selectors import region_children

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str


RegionList = Page[RegionOut]


@router.get("", response={200: RegionList, 422: ErrorOut}, auth=None)
def regions(request, paging: Query[Paging], parent: str = ""):
    if parent and not CODE_PATTERN.match(parent):
        message = _("parent: %(value)s is not a Kemendagri region code.") % {"value": parent}
        return Status(422, {"detail": [{"field": "parent", "message": message}]})
    return page_of(
        region_children(parent=parent),
        paging,
        out=lambda r: {"code": r.code, "name": r.name, "level": LEVEL_KEYS[r.level]},
    )
