"""GET /api/v1/regions: the region tree, one level at a time. Public data, no login needed."""

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from naikkelas.regions.models import CODE_PATTERN, LEVEL_KEYS
from naikkelas.regions.selectors import region_children

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str


class RegionList(Schema):
    count: int
    items: list[RegionOut]


class ErrorOut(Schema):
    detail: object


@router.get("", response={200: RegionList, 422: ErrorOut}, auth=None)
def regions(request, parent: str = ""):
    if parent and not CODE_PATTERN.match(parent):
        message = _("parent: %(value)s is not a Kemendagri region code.") % {"value": parent}
        return Status(422, {"detail": [{"field": "parent", "message": message}]})
    items = [
        {"code": r.code, "name": r.name, "level": LEVEL_KEYS[r.level]} for r in region_children(parent=parent)
    ]
    return {"count": len(items), "items": items}
