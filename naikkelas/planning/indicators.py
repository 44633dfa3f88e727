"""The office's own indicators (Renstra, Renja, LKjIP, LKPJ): computed live from naikkelas's records for any region
and any as-of date, each with its formula, numerator and denominator shown beside the value.

These are the office's indicators, not a business's KPIs (those live in `performance`). Regions word their
indicators differently, so every value carries the formula it was computed by. A region code "" means the whole
country. An as-of date means "at the end of that day"; yearly counts (people trained) run from 1 January of that
date's year to the date.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from naikkelas.accounts.scope import region_q
from naikkelas.lifecycle import funnel
from naikkelas.regions.models import Region
from naikkelas.registry.constants import CooperativeStatus, DocumentKind
from naikkelas.registry.models import Business, Cooperative, LegalDocument, StatusChange
from naikkelas.supervision import rat
from naikkelas.supervision.models import AnnualMeeting
from naikkelas.training.models import Audience, Certificate

UP, DOWN = "naik", "turun"  # the good direction
REGENCY, PROVINCE = "kabupaten", "provinsi"  # whose authority: usaha mikro (regency), usaha kecil (province)


@dataclass(frozen=True)
class Value:
    value: float | int | None  # None: no denominator (nothing to measure)
    numerator: int | None = None
    denominator: int | None = None
    parts: dict = field(default_factory=dict)  # e.g. by gender


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    group: str
    unit: str
    direction: str
    level: str
    formula: str  # as the report prints it, with the numerator and denominator named
    definition: str
    compute: Callable[[str, date], Value]


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _percent(part: int, whole: int) -> Value:
    return Value(round(100 * part / whole, 2) if whole else None, part, whole)


def _region(code: str) -> Region | None:
    return Region.objects.get(code=code) if code else None


def _in(field_name: str, code: str) -> Q:
    return region_q(field_name, [code], narrow=False) if code else Q()


# The funnel's own definitions (lifecycle.funnel): registered up to the day, operating when a visit within the
# window found it so, modern when also rated modern.
def umkm_registered(code: str, as_of: date) -> Value:
    total = funnel.funnel_counts(region=_region(code), as_of=as_of).total
    return Value(total.registered, total.registered, None)


def umkm_operating(code: str, as_of: date) -> Value:
    total = funnel.funnel_counts(region=_region(code), as_of=as_of).total
    return _percent(total.operating, total.registered)


def umkm_modern(code: str, as_of: date) -> Value:
    total = funnel.funnel_counts(region=_region(code), as_of=as_of).total
    return _percent(total.modern, total.operating)


def _businesses(code: str, as_of: date):
    """Businesses registered by the day (duplicates merged away not counted)."""
    return Business.objects.filter(_in("village__code", code), registered_on__lte=as_of)


def umkm_with_nib(code: str, as_of: date) -> Value:
    businesses = _businesses(code, as_of)
    documented = LegalDocument.objects.filter(kind=DocumentKind.NIB).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=as_of)
    )
    holding = businesses.filter(~Q(nib="") | Q(pk__in=documented.values("business_id")))
    return _percent(holding.count(), businesses.count())


def umkm_with_halal_or_pirt(code: str, as_of: date) -> Value:
    businesses = _businesses(code, as_of)
    valid = LegalDocument.objects.filter(kind__in=[DocumentKind.HALAL, DocumentKind.PIRT]).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=as_of),
        Q(expires_on__isnull=True) | Q(expires_on__gte=as_of),
    )
    return _percent(businesses.filter(pk__in=valid.values("business_id")).count(), businesses.count())


def cooperative_status_on(code: str, as_of: date) -> dict[int, str]:
    """Each cooperative founded by the day (its legal entity date; unknown counts as founded) → its status that
    day (from its status history, else today's)."""
    founded = Q(legal_entity_date__isnull=True) | Q(legal_entity_date__lte=as_of)
    coops = dict(Cooperative.objects.filter(_in("village__code", code), founded).values_list("pk", "status"))
    changes = (
        StatusChange.objects.filter(cooperative_id__in=list(coops))
        .order_by("cooperative_id", "changed_at", "id")
        .values_list("cooperative_id", "changed_at", "status", "previous")
    )
    status: dict[int, str] = {}
    decided: set[int] = set()
    end = _end_of(as_of)
    for pk, at, new, previous in changes:
        if pk in decided:
            continue
        if at <= end:
            status[pk] = new  # the latest change by the day wins (ordered by time)
        else:
            status.setdefault(pk, previous or coops[pk])  # the first change after the day: what it was before
            decided.add(pk)
    return {pk: status.get(pk, current) for pk, current in coops.items()}


def cooperatives_active(code: str, as_of: date) -> Value:
    status = cooperative_status_on(code, as_of)
    alive = [s for s in status.values() if s != CooperativeStatus.DISSOLVED]
    return _percent(sum(1 for s in alive if s == CooperativeStatus.ACTIVE), len(alive))


def cooperatives_rat_on_time(code: str, as_of: date) -> Value:
    """Of the cooperatives that owe a RAT on the book year before the as-of year, those that held it by its due
    date (31 March for a primary cooperative, 30 June for a secondary one) and by the as-of date."""
    book_year = as_of.year - 1
    status = cooperative_status_on(code, as_of)
    owing = [
        (pk, level)
        for pk, level, founded in Cooperative.objects.filter(pk__in=list(status)).values_list(
            "pk", "level", "legal_entity_date"
        )
        if status[pk] != CooperativeStatus.DISSOLVED and rat.existed_in(founded, book_year)
    ]
    held = dict(
        AnnualMeeting.objects.filter(
            cooperative_id__in=[pk for pk, _level in owing], book_year=book_year, held_on__lte=as_of
        ).values_list("cooperative_id", "held_on")
    )
    on_time = sum(1 for pk, level in owing if pk in held and held[pk] <= rat.due_on(level, book_year))
    return _percent(on_time, len(owing))


def _trained(audience: str) -> Callable[[str, date], Value]:
    def compute(code: str, as_of: date) -> Value:
        certificates = Certificate.objects.filter(
            _in("registration__cohort__region__code", code),
            registration__cohort__programme__audience=audience,
            issued_on__gte=date(as_of.year, 1, 1),
            issued_on__lte=as_of,
        ).filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=_end_of(as_of)))
        genders = Counter(certificates.values_list("registration__person__gender", flat=True))
        total = sum(genders.values())
        parts = {"L": genders.get("L", 0), "P": genders.get("P", 0), "tidak diketahui": genders.get("", 0)}
        return Value(total, total, None, parts)

    return compute


INDICATORS: list[Indicator] = [
    Indicator(
        "UMKM-01", "Jumlah UMKM terdata", "UMKM", "unit usaha", UP, REGENCY,
        "Jumlah usaha terdaftar sampai tanggal data (tanpa data ganda yang digabung)",
        "Usaha yang tercatat di registri sampai tanggal itu, seperti pada corong UMKM.",
        umkm_registered,
    ),
    Indicator(
        "UMKM-02", "Persentase UMKM beroperasi", "UMKM", "%", UP, REGENCY,
        "UMKM beroperasi ÷ UMKM terdata × 100",
        "Beroperasi: kunjungan verifikasi dalam jendela corong menemukan usaha berjalan.",
        umkm_operating,
    ),
    Indicator(
        "UMKM-03", "Persentase UMKM modern dan berinovasi", "UMKM", "%", UP, REGENCY,
        "UMKM modern ÷ UMKM beroperasi × 100",
        "Modern: beroperasi dan penilaian kartu skor terakhir dalam jendela corong berkategori modern.",
        umkm_modern,
    ),
    Indicator(
        "UMKM-04", "Persentase UMKM ber-NIB", "UMKM", "%", UP, REGENCY,
        "UMKM dengan NIB ÷ UMKM terdata × 100",
        "Memiliki NIB: nomor NIB tercatat pada data usaha, atau dokumen NIB terbit sampai tanggal itu.",
        umkm_with_nib,
    ),
    Indicator(
        "UMKM-05", "Persentase UMKM bersertifikat halal atau PIRT", "UMKM", "%", UP, REGENCY,
        "UMKM dengan sertifikat halal/PIRT yang berlaku ÷ UMKM terdata × 100",
        "Sertifikat halal atau PIRT terbit sampai tanggal itu dan belum habis berlaku pada tanggal itu.",
        umkm_with_halal_or_pirt,
    ),
    Indicator(
        "KOP-01", "Persentase koperasi aktif", "Koperasi", "%", UP, REGENCY,
        "Koperasi aktif ÷ koperasi yang belum dibubarkan × 100",
        "Status koperasi pada tanggal itu menurut riwayat statusnya.",
        cooperatives_active,
    ),
    Indicator(
        "KOP-02", "Persentase koperasi yang melaksanakan RAT tepat waktu", "Koperasi", "%", UP, REGENCY,
        "Koperasi dengan RAT tahun buku (t−1) tepat waktu ÷ koperasi wajib RAT tahun buku itu × 100",
        "Tepat waktu: paling lambat 31 Maret (koperasi primer) atau 30 Juni (sekunder) tahun t, dan sudah "
        "diadakan pada tanggal data.",
        cooperatives_rat_on_time,
    ),
    Indicator(
        "SDM-01", "SDM UMKM terlatih", "SDM", "orang", UP, REGENCY,
        "Jumlah sertifikat pelatihan UMKM terbit 1 Januari sampai tanggal data (tidak dicabut)",
        "Peserta yang menyelesaikan pelatihan (sertifikat terbit), menurut jenis kelamin.",
        _trained(Audience.UMKM),
    ),
    Indicator(
        "SDM-02", "SDM koperasi terlatih", "SDM", "orang", UP, REGENCY,
        "Jumlah sertifikat pelatihan perkoperasian terbit 1 Januari sampai tanggal data (tidak dicabut)",
        "Pengurus, pengawas dan pengelola koperasi yang menyelesaikan pelatihan, menurut jenis kelamin.",
        _trained(Audience.COOPERATIVE),
    ),
]  # fmt: skip

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
