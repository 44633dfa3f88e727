"""Which cooperatives and businesses could supply an opportunity, best first, with the reasons and the gaps.

Candidates come from the word indexes, never from a scan of the whole registry: businesses whose name (or owner
name) has the opportunity's words (the registry's full-text index, prefix matching), businesses whose catalogue
products do (their search text, within the region), businesses with the opportunity's KBLI code (indexed), and
cooperatives whose name does. Each candidate is then scored out of 100:

    fit        40  share of the opportunity's words its products, name or sector have (stemmed: words.terms),
                   halved without the head word (words.head); the same KBLI code counts as a full fit, the same
                   KBLI category (two digits) as half; under MIN_FIT the candidate is not listed
    documents  25  share of the documents asked for that it holds, valid on the first delivery day
    capacity   15  production volume (mean of its last three monthly KPI reports) against the monthly quantity;
                   without reports, its number of employees says a little (5 or more: 0.6, 1 to 4: 0.3)
    distance   10  its village against the place of delivery on the region tree (same village 1, district 0.8,
                   regency 0.5, province 0.2): regions carry no coordinates, so this is how far by administration
    level      10  its latest scorecard level, out of 5

Only businesses still operating (not closed) and cooperatives not dissolved are ranked.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from naikkelas.accounts.scope import region_q
from naikkelas.catalog.models import Product
from naikkelas.lifecycle.models import Assessment
from naikkelas.opportunities import words
from naikkelas.opportunities.models import NPWP, REQUIRED_DOCUMENTS, Frequency, Opportunity, Readiness
from naikkelas.performance.models import ReportValue
from naikkelas.regions import codes as region_codes
from naikkelas.registry.constants import BusinessStatus, CooperativeStatus, DocumentKind
from naikkelas.registry.models import Business, Cooperative, LegalDocument
from naikkelas.registry.search import _sqlite_has_fts

MIN_FIT = 0.3  # below this share of the wanted words (a shared adjective, say) a candidate is not listed
WEIGHTS = {"fit": 40, "documents": 25, "capacity": 15, "distance": 10, "level": 10}
PER_WORD = 150  # candidates taken per word (and for all words together, twice that): bounded on any region
PER_MONTH = {Frequency.ONCE: Decimal(1), Frequency.WEEKLY: Decimal("4.33"), Frequency.MONTHLY: Decimal(1),
             Frequency.YEARLY: Decimal(1) / 12}  # fmt: skip
DOCUMENT_NAMES = dict(REQUIRED_DOCUMENTS)


@dataclass
class Match:
    kind: str  # "business" or "cooperative"
    pk: int
    name: str
    village_code: str
    score: int = 0
    parts: dict = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    phone: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


def _any_word_q(forms: list[str]) -> Q:
    """Businesses with any of these words in their name or owner's name, as whole words (the registry's full-text
    index). Whole words, not prefixes: PostgreSQL estimates a prefix match blindly and, for a word no business has,
    scans the million rows instead of asking the index; a whole word it estimates from its statistics."""
    if connection.vendor == "postgresql":
        query = " | ".join(forms)
        return Q(RawSQL("search_tsv @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()))
    if connection.vendor == "sqlite" and _sqlite_has_fts():
        match = " OR ".join(f'"{w}"' for w in forms)
        return Q(id__in=RawSQL("SELECT rowid FROM registry_business_words WHERE registry_business_words MATCH %s",
                               [match]))  # fmt: skip
    q = Q()
    for w in forms:
        q |= Q(search_text__contains=w)
    return q


def _spellings(stem: str, written: tuple[str, ...] = ()) -> list[str]:
    """The stem, the other spellings that reduce to it (kripik for keripik) and the words of the opportunity that
    did (sayuran for sayur), for matching raw text."""
    forms = [stem, *(raw for raw, norm in words.SPELLING.items() if norm == stem and raw != stem)]
    return forms + [w for w in written if w not in forms and words.stem(w) == stem]


def distance_score(village: str, delivery: str) -> float:
    if village == delivery:
        return 1.0
    for level, score in (
        (region_codes.DISTRICT, 0.8),
        (region_codes.REGENCY, 0.5),
        (region_codes.PROVINCE, 0.2),
    ):
        here = region_codes.cut(village, level)
        if here and here == region_codes.cut(delivery, level):
            return score
    return 0.0


def _businesses(opportunity: Opportunity, stems: list[str]) -> dict[int, Match]:
    written = tuple(words.written(opportunity.title))
    inside = region_q("village__code", [opportunity.region_id])
    alive = Business.objects.filter(inside, owner__restricted_at=None).exclude(status=BusinessStatus.CLOSED)
    ids: set[int] = set()
    if stems:
        every = alive
        for stem in stems:
            every = every.filter(_any_word_q(_spellings(stem, written)))
        ids |= set(every.order_by().values_list("pk", flat=True)[: 2 * PER_WORD])
        products = Product.objects.filter(region_q("district_code", [opportunity.region_id]))
        for stem in stems:  # each word with its spellings in one query, which stops at PER_WORD rows
            forms = _spellings(stem, written)
            ids |= set(alive.filter(_any_word_q(forms)).order_by().values_list("pk", flat=True)[:PER_WORD])
            spelled = Q()
            for spelling in forms:
                spelled |= Q(search_text__contains=spelling)
            ids |= set(products.filter(spelled).order_by().values_list("business_id", flat=True)[:PER_WORD])
    if opportunity.kbli:
        ids |= set(
            alive.filter(kbli=opportunity.kbli).order_by().values_list("pk", flat=True)[: 2 * PER_WORD]
        )
    rows = alive.filter(pk__in=ids).order_by().values_list("pk", "name", "village_id", "sector", "kbli", "employees", "nib",
                                                "phone")  # fmt: skip
    found = {}
    for pk, name, village, sector, kbli, employees, nib, phone in rows:
        match = Match("business", pk, name, village, phone=phone)
        match.parts = {"sector": sector, "kbli": kbli, "employees": employees, "nib": nib}
        found[pk] = match
    return found


def _cooperatives(opportunity: Opportunity, stems: list[str]) -> dict[int, Match]:
    if not stems:
        return {}
    q = Q()
    for stem in stems:
        for spelled in _spellings(stem):
            q |= Q(name__icontains=spelled)
    rows = (
        Cooperative.objects.filter(region_q("village__code", [opportunity.region_id]))
        .exclude(status=CooperativeStatus.DISSOLVED)
        .filter(q)
        .values_list("pk", "name", "village_id", "phone")[: 2 * PER_WORD]
    )
    return {pk: Match("cooperative", pk, name, village, phone=phone) for pk, name, village, phone in rows}


def _held_documents(business_ids, on: date) -> dict[int, set[str]]:
    held: dict[int, set[str]] = defaultdict(set)
    documents = LegalDocument.objects.filter(business_id__in=business_ids).filter(
        Q(issued_on__isnull=True) | Q(issued_on__lte=on), Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )
    for pk, kind in documents.values_list("business_id", "kind"):
        held[pk].add(kind)
    return held


def _volumes(business_ids, until: date) -> dict[int, Decimal]:
    """Mean production volume of each business's last three monthly reports up to the day."""
    values: dict[int, list[Decimal]] = defaultdict(list)
    rows = (
        ReportValue.objects.filter(
            report__business_id__in=business_ids, report__month__lte=until, kpi__key="volume_produksi"
        )
        .order_by("report__business_id", "-report__month")
        .values_list("report__business_id", "value")
    )
    for pk, value in rows:
        if len(values[pk]) < 3:
            values[pk].append(value)
    return {pk: sum(v) / len(v) for pk, v in values.items() if v}


def _levels(business_ids, until: date) -> dict[int, int]:
    levels: dict[int, int] = {}
    rows = (
        Assessment.objects.filter(business_id__in=business_ids, assessed_on__lte=until)
        .order_by("business_id", "-assessed_on", "-id")
        .values_list("business_id", "level")
    )
    for pk, level in rows:
        levels.setdefault(pk, level)
    return levels


def _product_terms(business_ids) -> dict[int, list[tuple[str, frozenset[str]]]]:
    found: dict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for pk, name in Product.objects.filter(business_id__in=business_ids).values_list("business_id", "name")[
        :5000
    ]:
        found[pk].append((name, words.terms(name)))
    return found


def rank(opportunity: Opportunity, *, limit: int = 30) -> list[Match]:
    """The suppliers that could answer the opportunity, best first (ties by name)."""
    wanted, head = words.terms(opportunity.title), words.head(opportunity.title)
    stems = sorted(wanted)
    businesses = _businesses(opportunity, stems)
    cooperatives = _cooperatives(opportunity, stems)
    ids = list(businesses)
    held = _held_documents(ids, opportunity.delivery_on)
    volumes = _volumes(ids, opportunity.created_on)
    levels = _levels(ids, opportunity.created_on)
    products = _product_terms(ids)
    ticks = {
        ("business", b): npwp for b, npwp in Readiness.objects.filter(business_id__in=ids).values_list(
            "business_id", "npwp")
    } | {
        ("cooperative", c): npwp for c, npwp in Readiness.objects.filter(cooperative_id__in=list(cooperatives))
        .values_list("cooperative_id", "npwp")
    }  # fmt: skip
    monthly_need = opportunity.quantity * PER_MONTH.get(opportunity.frequency, Decimal(1))
    asked = [d for d in opportunity.documents if d in DOCUMENT_NAMES]
    out = []
    for match in [*businesses.values(), *cooperatives.values()]:
        is_business = match.kind == "business"
        # Fit: the best of its products, its name and sector.
        best, best_name = words.overlap(wanted, words.terms(match.name), head), ""
        for name, terms in products.get(match.pk, []) if is_business else []:
            share = words.overlap(wanted, terms, head)
            if share > 0 and share >= best:
                best, best_name = share, name
        if is_business:
            best = max(best, words.overlap(wanted, words.terms(match.parts["sector"] or ""), head))
            kbli = match.parts["kbli"]
            if opportunity.kbli and kbli == opportunity.kbli:
                best = max(best, 1.0)
                match.reasons.append(_("Same KBLI code %(code)s") % {"code": kbli})
            elif opportunity.kbli and kbli[:2] and kbli[:2] == opportunity.kbli[:2]:
                best = max(best, 0.5)
        if best_name:
            match.products.append(best_name)
            match.reasons.append(_("Makes %(product)s") % {"product": best_name})
        elif best > 0:
            match.reasons.append(_("Name or sector fits"))
        if best < MIN_FIT:
            continue
        # Documents held on the delivery day.
        have = set(held.get(match.pk, ())) if is_business else set()
        if is_business and match.parts["nib"]:
            have.add(DocumentKind.NIB)
        if ticks.get((match.kind, match.pk)):
            have.add(NPWP)
        missing = [DOCUMENT_NAMES[d] for d in asked if d not in have]
        documents = 1 - len(missing) / len(asked) if asked else 1.0
        if asked and not missing:
            match.reasons.append(_("Holds every document asked for"))
        for name in missing:
            match.gaps.append(_("No valid %(document)s on the delivery day") % {"document": name})
        # Capacity.
        capacity = 0.0
        volume = volumes.get(match.pk)
        if volume is not None and monthly_need:
            capacity = float(min(Decimal(1), volume / monthly_need))
            text = _("Produces about %(volume)s a month (%(need)s needed)") % {
                "volume": f"{volume:,.0f}".replace(",", "."), "need": f"{monthly_need:,.0f}".replace(",", "."),
            }  # fmt: skip
            (match.reasons if capacity >= 1 else match.gaps).append(text)
        elif is_business and match.parts["employees"]:
            capacity = 0.6 if match.parts["employees"] >= 5 else 0.3
            match.gaps.append(_("Capacity unknown: no production volume reported (%(n)s employees)")
                              % {"n": match.parts["employees"]})  # fmt: skip
        else:
            match.gaps.append(_("Capacity unknown: no production volume reported"))
        distance = distance_score(match.village_code, opportunity.delivery_village_id)
        if distance >= 0.8:
            match.reasons.append(_("Near the place of delivery"))
        level = levels.get(match.pk) if is_business else None
        if level:
            match.reasons.append(_("Scorecard level %(level)s") % {"level": level})
        parts = {"fit": best, "documents": documents, "capacity": capacity, "distance": distance,
                 "level": (level or 0) / 5}  # fmt: skip
        match.parts = {key: round(value * WEIGHTS[key]) for key, value in parts.items()}
        match.score = round(sum(value * WEIGHTS[key] for key, value in parts.items()))
        out.append(match)
    out.sort(key=lambda m: (-m.score, m.name.lower(), m.kind, m.pk))
    return out[:limit]
