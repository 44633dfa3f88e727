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
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.db.models.fields.json import KT
from django.utils import timezone

from naikkelas.accounts.scope import region_q
from naikkelas.catalog.models import Product, ProductDaily
from naikkelas.core.bulk import one_parameter
from naikkelas.core.models import AuditAction, AuditLog
from naikkelas.financing import loans
from naikkelas.financing.models import (
    ApplicationStatus,
    Disbursement,
    ProgrammeKind,
    Referral,
    ReferralStatus,
)
from naikkelas.lifecycle import funnel
from naikkelas.lifecycle.models import Assessment, VerificationVisit
from naikkelas.opportunities.selectors import figures as opportunity_figures
from naikkelas.performance.models import MonthlyReport, SopAdoption
from naikkelas.regions.models import Region
from naikkelas.registry.constants import CooperativeStatus, CooperativeType, DocumentKind, Gender, SizeClass
from naikkelas.registry.models import Business, Cooperative, LegalDocument, StatusChange
from naikkelas.supervision import rat
from naikkelas.supervision.models import AnnualMeeting, FinancialReport, HealthCategory, HealthRating
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


def _share(businesses, having: Q) -> Value:
    """Of the businesses, those matching `having`: both counted in one pass."""
    counts = businesses.aggregate(whole=Count("pk"), part=Count("pk", filter=having))
    return _percent(counts["part"], counts["whole"])


def umkm_with_nib(code: str, as_of: date) -> Value:
    documented = LegalDocument.objects.filter(kind=DocumentKind.NIB).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=as_of)
    )
    return _share(_businesses(code, as_of), ~Q(nib="") | Q(pk__in=documented.values("business_id")))


def umkm_with_halal_or_pirt(code: str, as_of: date) -> Value:
    valid = LegalDocument.objects.filter(kind__in=[DocumentKind.HALAL, DocumentKind.PIRT]).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=as_of),
        Q(expires_on__isnull=True) | Q(expires_on__gte=as_of),
    )
    return _share(_businesses(code, as_of), Q(pk__in=valid.values("business_id")))


def umkm_led_by_women(code: str, as_of: date) -> Value:
    """Of the businesses whose owner's gender is known (from the NIK, or as the SIDT survey recorded it), those
    a woman owns."""
    return _share(_businesses(code, as_of).exclude(owner__gender=""), Q(owner__gender=Gender.FEMALE))


def workers_with_disability(code: str, as_of: date) -> Value:
    """Workers with a disability in the registered businesses, as last recorded (SIDT's question)."""
    total = _businesses(code, as_of).aggregate(n=Sum("workers_disabled"))["n"] or 0
    return Value(total, total, None)


def cooperative_status_on(code: str, as_of: date) -> dict[int, str]:
    """Each cooperative founded by the day (its legal entity date; unknown counts as founded) → its status that
    day (from its status history, else today's)."""
    founded = Q(legal_entity_date__isnull=True) | Q(legal_entity_date__lte=as_of)
    coops = dict(Cooperative.objects.filter(_in("village__code", code), founded).values_list("pk", "status"))
    changes = (
        StatusChange.objects.filter(_in("cooperative__village__code", code), cooperative__isnull=False)
        .order_by("cooperative_id", "changed_at", "id")
        .values_list("cooperative_id", "changed_at", "status", "previous")
    )
    status: dict[int, str] = {}
    decided: set[int] = set()
    end = _end_of(as_of)
    for pk, at, new, previous in changes:
        if pk in decided or pk not in coops:  # not founded by the day
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
        for pk, level, founded in Cooperative.objects.filter(_in("village__code", code)).values_list(
            "pk", "level", "legal_entity_date"
        )
        if pk in status and status[pk] != CooperativeStatus.DISSOLVED and rat.existed_in(founded, book_year)
    ]
    held = dict(
        AnnualMeeting.objects.filter(
            _in("cooperative__village__code", code), book_year=book_year, held_on__lte=as_of
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


def add_months(day: date, n: int) -> date:
    """The same day n months later (the month's last day where it has fewer days)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = index // 12, index % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def _change_entries(model, field_name: str, code: str, after: datetime):
    """Audit entries of updates to the field of the region's records made after the moment."""
    entries = AuditLog.objects.filter(
        object_type=model._meta.label_lower,
        action=AuditAction.UPDATE,
        at__gt=after,
        before__has_key=field_name,
    )
    if code:
        entries = entries.filter(Q(region_code=code) | Q(region_code__startswith=code + "."))
    return entries


def _values_before(model, field_name: str, code: str, *moments: datetime) -> list[dict[int, str | None]]:
    """For each moment, and each record of the region whose field changed after it: the value it had then (the
    value before the first change after it), from the audit log, which services and imports write. One pass over
    the entries after the earliest moment; only the field's own values are read, as text, and whether each entry
    falls after each moment is asked of the database (no time is parsed in Python)."""
    after = {f"after_{n}": ExpressionWrapper(Q(at__gt=moment), output_field=BooleanField())
             for n, moment in enumerate(moments)}  # fmt: skip
    rows = (
        _change_entries(model, field_name, code, min(moments))
        .annotate(was=KT(f"before__{field_name}"), became=KT(f"after__{field_name}"), **after)
        .order_by("at", "id")
        .values_list("object_id", "was", "became", *after)
    )
    found: list[dict[int, str | None]] = [{} for _ in moments]
    sql, params = rows.query.sql_with_params()
    with (
        connection.cursor() as cursor
    ):  # raw rows: text and booleans need none of Django's per-value conversion
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for object_id, was, became, *later in rows:
        if was == became:  # an entry that touched the field without changing it is no change
            continue
        for values, is_after in zip(found, later, strict=True):
            if is_after:
                values.setdefault(int(object_id), was)
    return found


_among = one_parameter  # the ids as one query parameter, however many


def _by_key(queryset, ids: list[int], fields: list[str]) -> list[tuple]:
    """The records with these primary keys (as many as there are), their fields as tuples. PostgreSQL takes the
    list as one `= ANY` walk of the key's index in key order; `_among`'s sub-select would have it hash the keys and
    probe the table in random order, about twice as slow for tens of thousands of keys. SQLite limits a query's
    parameters, so it gets `_among`."""
    if connection.vendor == "postgresql":
        meta = queryset.model._meta
        # One array parameter (a list of literals this long costs more to parse and plan than to run). The
        # table and column come from the model, the keys go as a parameter.
        found = queryset.extra(  # noqa: S610
            where=[f'"{meta.db_table}"."{meta.pk.column}" = ANY(%s::bigint[])'], params=[ids]
        )
    else:
        found = queryset.filter(pk__in=_among(ids))
    return list(found.order_by().values_list(*fields))


def micro_to_small(code: str, as_of: date) -> Value:
    """Of the businesses registered by 31 December of the year before and micro that day, those small or medium
    on the as-of date (size class from assets and revenue, its history from the audit log: for the businesses
    whose class changed after that day, their class then and, when it changed again after the as-of date, their
    class on the as-of date; every other business has had its present class all along).

    Those whose present class is micro are counted by the funnel's sums (registered by the day, by present size
    class: a few rows per district), so the million businesses are not read; only the changed ones are, by key."""
    start = date(as_of.year - 1, 12, 31)
    then, now = _values_before(Business, "size_class", code, _end_of(start), _end_of(as_of))
    inside = code + "."
    current = {
        pk: size
        for pk, size, village, registered_on in _by_key(
            Business.objects.all(), sorted(then), ["pk", "size_class", "village_id", "registered_on"]
        )
        if registered_on <= start and (not code or village == code or village.startswith(inside))
    }  # changed records still registered there (moved or merged away: left out)
    micro_now = funnel.funnel_counts(region=_region(code), as_of=start, size_class=SizeClass.MIKRO).total
    unchanged_micro = micro_now.registered - sum(1 for size in current.values() if size == SizeClass.MIKRO)
    were_micro = [pk for pk in current if then[pk] == SizeClass.MIKRO]
    grown = sum(1 for pk in were_micro if now.get(pk, current[pk]) in (SizeClass.KECIL, SizeClass.MENENGAH))
    return _percent(grown, unchanged_micro + len(were_micro))


def cooperative_member_growth(code: str, as_of: date) -> Value:
    """Members on the as-of date against members on 31 December of the year before, over the cooperatives founded
    by then and not dissolved on the as-of date (member counts' history from the audit log)."""
    start = date(as_of.year - 1, 12, 31)
    before_status = cooperative_status_on(code, start)
    now_status = cooperative_status_on(code, as_of)
    kept = [pk for pk in before_status if now_status.get(pk) not in (None, CooperativeStatus.DISSOLVED)]
    at_start, at_day = _values_before(Cooperative, "members", code, _end_of(start), _end_of(as_of))
    current = dict(Cooperative.objects.filter(_in("village__code", code)).values_list("pk", "members"))
    current = {pk: current[pk] for pk in kept}
    then = sum(int(at_start.get(pk, n) or 0) for pk, n in current.items())
    now = sum(int(at_day.get(pk, n) or 0) for pk, n in current.items())
    return Value(round(100 * (now - then) / then, 2) if then else None, now - then, then)


def trainees_levelled_up(code: str, as_of: date) -> Value:
    """Of the UMKM participants whose certificate was issued 12 to 24 months before the as-of date (so that 12
    months have passed) and whose business had a scorecard assessment by the issue date, those whose business's
    latest assessment within the 12 months after the issue date has a higher level than the one before it."""
    first, last = add_months(as_of, -24), add_months(as_of, -12)
    certificates = (
        Certificate.objects.filter(
            _in("registration__cohort__region__code", code),
            registration__cohort__programme__audience=Audience.UMKM,
            registration__business__isnull=False,
            issued_on__gt=first,
            issued_on__lte=last,
        )
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=_end_of(as_of)))
        .values_list("registration__business_id", "issued_on")
    )
    issued = list(certificates)
    history: dict[int, list[tuple[date, int]]] = {}
    for business, day, level in (
        Assessment.objects.filter(business_id__in={b for b, _day in issued}, assessed_on__lte=as_of)
        .order_by("assessed_on", "id")
        .values_list("business_id", "assessed_on", "level")
    ):
        history.setdefault(business, []).append((day, level))
    measured = levelled = 0
    for business, day in issued:
        assessments = history.get(business, [])
        baseline = [level for at, level in assessments if at <= day]
        if not baseline:
            continue  # no level before the training: cannot tell
        measured += 1
        after = [level for at, level in assessments if day < at <= add_months(day, 12)]
        levelled += bool(after) and after[-1] > baseline[-1]
    return _percent(levelled, measured)


def _latest_ratings(code: str, as_of: date) -> tuple[list[int], dict[int, str]]:
    """The savings-and-loan cooperatives alive on the day, and the category of each one's latest rating made in
    the day's year up to the day. Both read by region and type (not by a list of the region's cooperatives)."""
    status = cooperative_status_on(code, as_of)
    ksp = Cooperative.objects.filter(_in("village__code", code), type=CooperativeType.SAVINGS_LOAN)
    alive = [
        pk
        for pk in ksp.values_list("pk", flat=True)
        if pk in status and status[pk] != CooperativeStatus.DISSOLVED
    ]
    alive_set = set(alive)
    latest: dict[int, str] = {}
    for pk, category in (
        HealthRating.objects.filter(
            _in("cooperative__village__code", code),
            cooperative__type=CooperativeType.SAVINGS_LOAN,
            rated_at__gte=_end_of(date(as_of.year - 1, 12, 31)),
            rated_at__lte=_end_of(as_of),
        )
        .order_by("rated_at", "id")
        .values_list("cooperative_id", "category")
    ):
        if pk in alive_set:
            latest[pk] = category  # ordered by time: the last one stays
    return alive, latest


def ksp_rated(code: str, as_of: date) -> Value:
    alive, latest = _latest_ratings(code, as_of)
    return _percent(len(latest), len(alive))


def ksp_healthy(code: str, as_of: date) -> Value:
    _alive, latest = _latest_ratings(code, as_of)
    return _percent(sum(1 for c in latest.values() if c == HealthCategory.SEHAT), len(latest))


def _volume(report) -> int:
    return (report[0] or 0) + (report[1] or 0)


def cooperative_volume_growth(code: str, as_of: date) -> Value:
    """Volume usaha (gross member participation + revenue from non-members) of book year t = as_of's year − 1
    against t − 1, over the cooperatives that reported both years."""
    t = as_of.year - 1
    reports: dict[int, dict[int, int]] = {}
    for pk, year, gross, other in FinancialReport.objects.filter(
        _in("cooperative__village__code", code), year__in=[t - 1, t], updated_at__lte=_end_of(as_of)
    ).values_list("cooperative_id", "year", "gross_participation", "non_member_revenue"):
        reports.setdefault(pk, {})[year] = _volume((gross, other))
    both = [r for r in reports.values() if t in r and t - 1 in r]
    now, before = sum(r[t] for r in both), sum(r[t - 1] for r in both)
    return Value(round(100 * (now - before) / before, 2) if before else None, now - before, before)


def _revolving_disbursements(code: str, as_of: date):
    return Disbursement.objects.filter(
        _in("application__business__village__code", code),
        application__programme__kind=ProgrammeKind.REVOLVING,
        disbursed_on__gte=date(as_of.year, 1, 1),
        disbursed_on__lte=as_of,
    )


def revolving_disbursed(code: str, as_of: date) -> Value:
    total = sum(_revolving_disbursements(code, as_of).values_list("amount", flat=True))
    return Value(total, total, None)


def revolving_recipients(code: str, as_of: date) -> Value:
    n = _revolving_disbursements(code, as_of).values("application__business_id").distinct().count()
    return Value(n, n, None)


def revolving_par30(code: str, as_of: date) -> Value:
    """Outstanding principal of loans more than 30 days past due ÷ all outstanding principal, on the day."""
    portfolio = loans.Portfolio()
    disbursed = (
        Disbursement.objects.filter(
            _in("application__business__village__code", code),
            application__programme__kind=ProgrammeKind.REVOLVING,
            application__status=ApplicationStatus.DISBURSED,
            disbursed_on__lte=as_of,
        )
        .select_related("application")
        .prefetch_related("application__installments", "application__payments")
    )
    for d in disbursed:
        lines = [
            loans.Line(i.number, i.due_on, i.principal, i.interest) for i in d.application.installments.all()
        ]
        payments = [(p.paid_on, p.amount) for p in d.application.payments.all()]
        portfolio.add(d.amount, loans.state(lines, payments, as_of))
    par = portfolio.par30
    return Value(float(par) if par is not None else None, portfolio.at_risk, portfolio.outstanding)


def kur_disbursed(code: str, as_of: date) -> Value:
    """KUR referrals the bank disbursed, as last updated within the year up to the day."""
    n = Referral.objects.filter(
        _in("application__business__village__code", code),
        status=ReferralStatus.DISBURSED,
        updated_on__gte=date(as_of.year, 1, 1),
        updated_on__lte=as_of,
    ).count()
    return Value(n, n, None)


def products_online(code: str, as_of: date) -> Value:
    """Products shown in the public catalogue (published, the business not closed), published by the day."""
    n = Product.objects.filter(
        _in("business__village__code", code), listed=True, published_at__lte=_end_of(as_of)
    ).count()
    return Value(n, n, None)


def whatsapp_clicks(code: str, as_of: date) -> Value:
    n = sum(
        ProductDaily.objects.filter(
            _in("product__business__village__code", code), day__gte=date(as_of.year, 1, 1), day__lte=as_of
        ).values_list("whatsapp", flat=True)
    )
    return Value(n, n, None)


def _share_of_coached(code: str, as_of: date, having) -> Value:
    """Of the usaha binaan (registered by the day in the region, visited by an officer by the day), those among
    `having` (a queryset of business ids): both counted in one pass over the businesses."""
    visited = VerificationVisit.objects.filter(visited_on__lte=as_of).values("business_id")
    counts = (
        _businesses(code, as_of)
        .filter(pk__in=visited)
        .aggregate(whole=Count("pk"), part=Count("pk", filter=Q(pk__in=having)))
    )
    return _percent(counts["part"], counts["whole"])


def coached_with_sop(code: str, as_of: date) -> Value:
    return _share_of_coached(
        code, as_of, SopAdoption.objects.filter(adopted_on__lte=as_of).values("business_id")
    )


def _last_full_month(as_of: date) -> date:
    first = as_of.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def coached_reporting_kpi(code: str, as_of: date) -> Value:
    reports = MonthlyReport.objects.filter(month=_last_full_month(as_of), created_at__lte=_end_of(as_of))
    return _share_of_coached(code, as_of, reports.values("business_id"))


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
        "UMKM-06", "Persentase usaha mikro yang naik kelas menjadi usaha kecil", "UMKM", "%", UP, REGENCY,
        "Usaha mikro per 31 Desember tahun lalu yang menjadi kecil/menengah pada tanggal data ÷ usaha mikro per "
        "31 Desember tahun lalu × 100",
        "Skala usaha dari aset dan omzet (UU 20/2008 jo. PP 7/2021); riwayatnya dari catatan audit.",
        micro_to_small,
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
        "UMKM-07", "Persentase UMKM yang dipimpin perempuan", "UMKM", "%", UP, REGENCY,
        "UMKM dengan pemilik perempuan ÷ UMKM yang jenis kelamin pemiliknya diketahui × 100",
        "Jenis kelamin pemilik dari NIK, atau seperti dicatat survei SIDT-KUMKM bila tanpa NIK.",
        umkm_led_by_women,
    ),
    Indicator(
        "UMKM-08", "Jumlah tenaga kerja penyandang disabilitas di UMKM", "UMKM", "orang", UP, REGENCY,
        "Jumlah tenaga kerja penyandang disabilitas pada UMKM terdata",
        "Seperti tercatat terakhir pada data usaha (pertanyaan SIDT-KUMKM), tanpa riwayat.",
        workers_with_disability,
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
        "SDM-03", "Persentase peserta pelatihan yang usahanya naik level dalam 12 bulan", "SDM", "%", UP, REGENCY,
        "Peserta (sertifikat terbit 12–24 bulan sebelum tanggal data) yang level kartu skor usahanya naik dalam "
        "12 bulan ÷ peserta yang usahanya dinilai sebelum pelatihan × 100",
        "Level penilaian terakhir dalam 12 bulan sesudah sertifikat dibanding penilaian terakhir sebelumnya.",
        trainees_levelled_up,
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
    Indicator(
        "KOP-03", "Persentase KSP/USP yang dinilai kesehatannya", "Koperasi", "%", UP, REGENCY,
        "KSP/USP dinilai tahun t ÷ KSP/USP yang belum dibubarkan × 100",
        "Koperasi simpan pinjam yang mendapat penilaian kesehatan dari 1 Januari sampai tanggal data.",
        ksp_rated,
    ),
    Indicator(
        "KOP-04", "Persentase KSP/USP sehat", "Koperasi", "%", UP, REGENCY,
        "KSP/USP dengan penilaian terakhir 'Sehat' ÷ KSP/USP yang dinilai tahun t × 100",
        "Kategori penilaian kesehatan terakhir tahun itu.",
        ksp_healthy,
    ),
    Indicator(
        "KOP-05", "Pertumbuhan volume usaha koperasi", "Koperasi", "%", UP, REGENCY,
        "(VU tahun buku t − VU t−1) ÷ VU t−1 × 100; VU = partisipasi bruto anggota + pendapatan dari non-anggota",
        "Koperasi yang melaporkan keuangan kedua tahun buku; t = tahun sebelum tanggal data.",
        cooperative_volume_growth,
    ),
    Indicator(
        "KOP-06", "Pertumbuhan anggota koperasi", "Koperasi", "%", UP, REGENCY,
        "(Anggota pada tanggal data − anggota 31 Desember tahun lalu) ÷ anggota 31 Desember tahun lalu × 100",
        "Koperasi yang sudah berdiri 31 Desember tahun lalu dan tidak dibubarkan pada tanggal data.",
        cooperative_member_growth,
    ),
    Indicator(
        "PEMB-01", "Dana bergulir tersalurkan", "Pembiayaan", "Rp", UP, REGENCY,
        "Jumlah pencairan dana bergulir 1 Januari sampai tanggal data",
        "Pencairan pinjaman program dana bergulir kepada usaha di wilayah itu.",
        revolving_disbursed,
    ),
    Indicator(
        "PEMB-02", "Jumlah penerima dana bergulir", "Pembiayaan", "unit usaha", UP, REGENCY,
        "Usaha yang menerima pencairan dana bergulir 1 Januari sampai tanggal data",
        "Satu usaha dihitung sekali.",
        revolving_recipients,
    ),
    Indicator(
        "PEMB-03", "PAR 30 dana bergulir", "Pembiayaan", "%", DOWN, REGENCY,
        "Pokok terutang pinjaman tertunggak > 30 hari ÷ seluruh pokok terutang × 100",
        "Portofolio dana bergulir pada tanggal data, dari jadwal angsuran dan pembayaran.",
        revolving_par30,
    ),
    Indicator(
        "PEMB-04", "Rujukan KUR yang cair", "Pembiayaan", "usulan", UP, REGENCY,
        "Rujukan KUR berstatus cair di bank, diperbarui 1 Januari sampai tanggal data",
        "Usulan KUR yang diteruskan dinas dan dicairkan bank.",
        kur_disbursed,
    ),
    Indicator(
        "PROM-01", "Produk UMKM dipromosikan daring", "Promosi", "produk", UP, REGENCY,
        "Produk tayang di katalog daring (usaha tidak tutup), tayang sampai tanggal data",
        "Produk yang dapat dilihat publik di katalog naikkelas.",
        products_online,
    ),
    Indicator(
        "PROM-02", "Klik WhatsApp dari katalog", "Promosi", "klik", UP, REGENCY,
        "Jumlah klik tombol WhatsApp produk 1 Januari sampai tanggal data",
        "Calon pembeli yang menghubungi penjual dari katalog.",
        whatsapp_clicks,
    ),
    Indicator(
        "BIN-01", "Persentase usaha binaan yang menerapkan SOP", "Manajemen", "%", UP, REGENCY,
        "Usaha binaan dengan SOP diterapkan sampai tanggal data ÷ usaha binaan × 100",
        "Usaha binaan: terdaftar dan sudah dikunjungi petugas sampai tanggal itu.",
        coached_with_sop,
    ),
    Indicator(
        "BIN-02", "Persentase usaha binaan yang melaporkan KPI bulanan", "Manajemen", "%", UP, REGENCY,
        "Usaha binaan dengan laporan KPI bulan penuh terakhir sebelum tanggal data ÷ usaha binaan × 100",
        "Laporan bulanan (pemilik atau petugas) untuk bulan sebelum bulan tanggal data, masuk sampai tanggal itu.",
        coached_reporting_kpi,
    ),
]  # fmt: skip


def _opportunity_figure(name: str) -> Callable[[str, date], Value]:
    def compute(code: str, as_of: date) -> Value:
        value = getattr(opportunity_figures(code, date(as_of.year, 1, 1), as_of), name)
        return Value(value, value, None)

    return compute


def partnerships_active(code: str, as_of: date) -> Value:
    from naikkelas.opportunities.models import Partnership, PartnershipStatus

    n = (
        Partnership.objects.filter(_in("region__code", code), starts_on__lte=as_of)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=as_of))
        .exclude(status=PartnershipStatus.CANCELLED)
        .count()
    )
    return Value(n, n, None)


def procurement_share(code: str, as_of: date) -> Value:
    """The region's own government's procurement of the year (its latest realisation uploaded by the day, else its
    plan): the value that went to the registry's businesses and cooperatives over the whole."""
    from naikkelas.opportunities.models import ProcurementImport, ProcurementKind

    uploaded = ProcurementImport.objects.filter(
        region_id=code, year=as_of.year, uploaded_at__lte=_end_of(as_of)
    )
    source = (
        uploaded.filter(kind=ProcurementKind.REALISATION).order_by("-uploaded_at", "-pk").first()
        or uploaded.order_by("-uploaded_at", "-pk").first()
    )
    if source is None:
        return Value(None, None, None)
    return _percent(source.matched_value, source.total_value)


INDICATORS += [
    Indicator(
        "PELU-01", "Peluang usaha dari pembeli", "Peluang usaha", "peluang", UP, REGENCY,
        "Peluang diumumkan 1 Januari sampai tanggal data yang dapat dijawab pemasok wilayah itu",
        "Permintaan pembeli (OPD, BUMN/BUMD, perusahaan, hotel, ritel, unit koperasi) yang dicatat dinas.",
        _opportunity_figure("opportunities"),
    ),
    Indicator(
        "PELU-02", "Koperasi dan UMKM dipertemukan dengan pembeli", "Peluang usaha", "pemasok", UP, REGENCY,
        "Koperasi dan usaha berbeda di wilayah itu yang diundang atau mengajukan penawaran, 1 Januari sampai "
        "tanggal data",
        "Undangan lewat WhatsApp atau e-mail dan penawaran yang masuk.",
        _opportunity_figure("suppliers_matched"),
    ),
    Indicator(
        "PELU-03", "Kesepakatan usaha yang diperoleh koperasi dan UMKM", "Peluang usaha", "kesepakatan", UP,
        REGENCY,
        "Peluang ditutup dengan kesepakatan 1 Januari sampai tanggal data, dimenangkan pemasok wilayah itu",
        "Hasil dicatat dinas; kesepakatan tanpa penawaran tercatat dihitung untuk wilayah peluangnya.",
        _opportunity_figure("deals"),
    ),
    Indicator(
        "PELU-04", "Nilai kesepakatan usaha koperasi dan UMKM", "Peluang usaha", "Rp", UP, REGENCY,
        "Jumlah nilai kesepakatan PELU-03",
        "Nilai kontrak atau pembelian yang dicatat dinas saat menutup peluang.",
        _opportunity_figure("deal_value"),
    ),
    Indicator(
        "PELU-05", "Kemitraan koperasi dan UMKM yang aktif", "Peluang usaha", "kemitraan", UP, REGENCY,
        "Kemitraan (pola PP 7/2021) yang berjalan pada tanggal data, tidak dibatalkan",
        "Kemitraan yang dicatat dinas untuk wilayah itu dan wilayah di bawahnya.",
        partnerships_active,
    ),
    Indicator(
        "PELU-06", "Persentase nilai pengadaan pemerintah daerah untuk UMKM dan koperasi", "Peluang usaha", "%", UP,
        REGENCY,
        "Nilai paket yang penyedianya UMKM atau koperasi terdata ÷ nilai seluruh paket × 100 (realisasi tahun itu, "
        "atau RUP bila belum ada realisasi)",
        "Paket dicocokkan dengan data usaha lewat NIB atau nama; target Perpres 12/2021 paling sedikit 40 %.",
        procurement_share,
    ),
]  # fmt: skip
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
