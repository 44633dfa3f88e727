"""Reading the region tree."""

from django.db.models import QuerySet

from naikkelas.regions.models import Level, Region


def region_children(*, parent: str | None) -> QuerySet[Region]:
    if not parent:
        return Region.objects.filter(level=Level.PROVINCE)
    return Region.objects.filter(parent_id=parent)


def villages_within(code: str) -> QuerySet[Region]:
    """The villages inside a region (itself, when it is one), with their districts, in code order."""
    inside = Region.objects.filter(level=Level.VILLAGE).select_related("parent").order_by("code")
    if not code:
        return inside
    return inside.filter(code__startswith=code + ".") | inside.filter(code=code)
