"""Reading the region tree."""

from django.db.models import QuerySet

from naikkelas.regions.models import Level, Region


def region_children(*, parent: str | None) -> QuerySet[Region]:
    if not parent:
        return Region.objects.filter(level=Level.PROVINCE)
    return Region.objects.filter(parent_id=parent)
