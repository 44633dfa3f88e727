"""Data quality an office can see and fix, per region and per source: completeness (the fields an office needs),
validity and mappability (a KBLI code that names something: the SIDT lesson was 43.67 % of 5.43 M rows with a
KBLI that mapped to nothing), uniqueness (records in an open duplicate group) and freshness (verified by a visit
within the funnel's window). Every count is of a gap, and each gap is a filter of the business list (`gap=`), so a
figure links to the records to fix and an officer's district list filtered by it is the worklist."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.scope import region_q
from naikkelas.registry import kbli

GAPS = {
    "nik": _("No owner NIK"),
    "phone": _("No phone"),
    "address": _("No address"),
    "kbli": _("No KBLI code"),
    "kbli_unmapped": _("KBLI code that maps to nothing"),
    "duplicate": _("In an open duplicate group"),
    "unverified": _("Not verified by a visit in the window"),
}
COMPLETE = ("nik", "phone", "address", "kbli")  # an office's useful fields; the name and village are required


def _mappable_q() -> Q:
    titles, category_of, detailed = kbli._tables()
    loose = sorted(set(category_of) - detailed)
    q = Q(kbli__regex=rf"^({'|'.join(loose)})[0-9]{{3}}$") if loose else Q(pk__in=[])
    exact = [code for code in titles if re.fullmatch(r"\d{5}", code)]
    return q | Q(kbli__in=exact) if exact else q


def _open_duplicates() -> set[int]:
    from naikkelas.intake.models import ClusterStatus, DuplicateCluster, RecordKind

    members: set[int] = set()
    for group in DuplicateCluster.objects.filter(
        status=ClusterStatus.OPEN, kind=RecordKind.BUSINESS
    ).values_list("members", flat=True):
        members.update(group)
    return members


def gap_q(gap: str, today: date, duplicates: set[int] | None = None) -> Q:
    """The businesses with this gap (an unknown gap: none); `duplicates` saves reading the open groups again."""
    from naikkelas.lifecycle.models import VerificationVisit

    if gap == "nik":
        return Q(owner__nik_hash="")
    if gap == "phone":
        return Q(owner__phone="", phone="")
    if gap == "address":
        return Q(address="")
    if gap == "kbli":
        return Q(kbli="")
    if gap == "kbli_unmapped":
        return ~Q(kbli="") & ~_mappable_q()
    if gap == "duplicate":
        return Q(pk__in=_open_duplicates() if duplicates is None else duplicates)
    if gap == "unverified":
        since = today - timedelta(days=settings.FUNNEL_WINDOW_DAYS)
        return ~Q(pk__in=VerificationVisit.objects.filter(visited_on__gte=since, visited_on__lte=today).values(
            "business_id"))  # fmt: skip
    return Q(pk__in=[])


@dataclass
class Row:
    label: str
    code: str  # the region's code ("" for a source row)
    source: str = ""  # the file the records first came from ("" for a region row)
    total: int = 0
    gaps: dict[str, int] = field(default_factory=dict)
    complete: int = 0

    def share(self, n: int) -> float | None:
        return round(100 * n / self.total, 1) if self.total else None

    @property
    def complete_share(self) -> float | None:
        return self.share(self.complete)

    @property
    def coded(self) -> int:
        return self.total - self.gaps.get("kbli", 0)

    @property
    def mappable_share(self) -> float | None:
        """Of the records with a KBLI code, those whose code names something."""
        return round(100 * (self.coded - self.gaps["kbli_unmapped"]) / self.coded, 1) if self.coded else None

    @property
    def verified_share(self) -> float | None:
        return self.share(self.total - self.gaps["unverified"])


def _counts(qs: QuerySet, today: date, duplicates: set[int]) -> dict:
    """One count a query: Django mixes up the parameters of several filtered counts over these subqueries in one
    aggregate (tried: "expected a number but got ''")."""
    counts = {gap: qs.filter(gap_q(gap, today, duplicates)).count() for gap in GAPS}
    incomplete = gap_q(COMPLETE[0], today)
    for gap in COMPLETE[1:]:
        incomplete |= gap_q(gap, today)
    counts["total"] = qs.count()
    counts["complete"] = counts["total"] - qs.filter(incomplete).count() if counts["total"] else 0
    return counts


def _row(label: str, counts: dict, *, code: str = "", source: str = "") -> Row:
    return Row(label=label, code=code, source=source, total=counts["total"], complete=counts["complete"],
               gaps={gap: counts[gap] for gap in GAPS})  # fmt: skip


def by_region(businesses: QuerySet, regions, today: date) -> list[Row]:
    """One row per region (the regions below the one shown, each with the records inside it)."""
    duplicates = _open_duplicates()
    return [
        _row(
            region.name,
            _counts(
                businesses.filter(region_q("village__code", [region.code], narrow=False)), today, duplicates
            ),
            code=region.code,
        )  # fmt: skip
        for region in regions
    ]


def by_source(businesses: QuerySet, today: date) -> list[Row]:
    """One row per source: the file each record was first imported from, or typed on the page."""
    from naikkelas.intake.models import RecordSource

    first = RecordSource.objects.filter(business=OuterRef("pk")).order_by("pk").values("file")[:1]
    annotated = businesses.annotate(source_file=Subquery(first))
    files = sorted({f or "" for f in annotated.order_by().values_list("source_file", flat=True).distinct()})
    duplicates, rows = _open_duplicates(), []
    for name in files:
        subset = annotated.filter(source_file=name) if name else annotated.filter(source_file__isnull=True)
        rows.append(_row(name or str(_("Typed on the page")), _counts(subset, today, duplicates),
                         source=name or "-"))  # fmt: skip
    return rows


def table(rows: list[Row]) -> tuple[list[str], list[list]]:
    """The rows as an XLSX sheet's header and lines (the quality page's download and the indicators' workbook)."""
    header = [str(_("Region or source")), str(_("Records")), str(_("Complete (%)")),
              *(str(label) for label in GAPS.values()), str(_("KBLI that maps (%)")),
              str(_("Verified in the window (%)"))]  # fmt: skip
    lines = [[r.label, r.total, r.complete_share, *(r.gaps[g] for g in GAPS), r.mappable_share, r.verified_share]
             for r in rows]  # fmt: skip
    return header, lines


def for_area(user, code: str, today: date) -> tuple[list[Row], list[Row]]:
    """The quality rows of a region (in the user's area): per region just below it (those the user covers), and
    per source."""
    from naikkelas.accounts import permissions
    from naikkelas.accounts.scope import scope_for, scoped
    from naikkelas.regions.selectors import region_children
    from naikkelas.registry.models import Business

    businesses = scoped(Business.objects.all(), user)
    if code:
        businesses = businesses.filter(region_q("village__code", [code], narrow=False))
    regions = list(region_children(parent=code or None).order_by("code"))
    if not scope_for(user).everything and not permissions.covers(user, code):
        regions = [r for r in regions if permissions.covers(user, r.code)]  # a field officer's districts
    return by_region(businesses, regions, today), by_source(businesses, today)
