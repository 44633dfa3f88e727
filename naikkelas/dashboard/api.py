"""API: the funnel of a region as of a day."""

from datetime import date

from ninja import Query, Router, Schema

from naikkelas.api.schemas import ErrorOut
from naikkelas.dashboard import selectors

router = Router(tags=["dashboard"])


class FunnelQuery(Schema):
    region: str = ""
    as_of: str = ""
    sector: str = ""
    size_class: str = ""


class ChildOut(Schema):
    code: str
    name: str
    registered: int
    operating: int
    modern: int


class FunnelOut(Schema):
    region: str
    region_name: str
    as_of: date
    registered: int
    operating: int
    modern: int
    by_child: list[ChildOut]


@router.get("/funnel", response={200: FunnelOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def funnel(request, q: Query[FunnelQuery]):
    """Registered → operating (verified operating within the window) → modern, for a region (default: your
    own) as of a day (default: today), optionally for one sector and size class, with one line per child
    region."""
    f = selectors.funnel_for(
        user=request.auth, region=q.region, as_of=q.as_of, sector=q.sector, size_class=q.size_class
    )
    return {
        "region": f.region.code if f.region else "",
        "region_name": f.region.name if f.region else "Indonesia",
        "as_of": f.as_of,
        "registered": f.total.registered,
        "operating": f.total.operating,
        "modern": f.total.modern,
        "by_child": [
            {
                "code": r.code,
                "name": r.name,
                "registered": c.registered,
                "operating": c.operating,
                "modern": c.modern,
            }  # fmt: skip
            for r, c in f.children
        ],
    }
