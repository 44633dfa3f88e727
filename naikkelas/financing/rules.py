"""Who may receive a programme's money (eligibility, with reasons) and in which order (score).

Both read the business as it stands: its size class, sector, place, status, latest scorecard level, the training
it completed, the legal documents it holds, and the aid it received before.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy

from naikkelas.financing.models import Application, ApplicationStatus, Programme
from naikkelas.lifecycle.models import Assessment
from naikkelas.regions import codes
from naikkelas.registry.constants import BusinessStatus, DocumentKind, Gender
from naikkelas.registry.models import Business
from naikkelas.training.models import Certificate

# Criterion key -> (label, default weight). Each criterion gives 0..1; the score is their weighted mean × 100.
CRITERIA = {
    "level": (gettext_lazy("Scorecard level (higher is better)"), 30),
    "operating": (gettext_lazy("Operating (verified by a visit)"), 20),
    "trained": (gettext_lazy("Completed office training"), 20),
    "documents": (gettext_lazy("Legal documents held (NIB, PIRT, halal)"), 10),
    "first_aid": (gettext_lazy("Never received aid before"), 10),
    "women": (gettext_lazy("Owned by a woman"), 10),
}
SCORED_DOCUMENTS = (DocumentKind.NIB, DocumentKind.PIRT, DocumentKind.HALAL)


@dataclass(frozen=True)
class Facts:
    level: int | None
    trained_topics: frozenset[str]
    documents: frozenset[str]
    earlier_aid: bool


def facts_for(business: Business, on: date) -> Facts:
    latest = (
        Assessment.objects.filter(business=business, assessed_on__lte=on)
        .order_by("-assessed_on", "-id")
        .first()
    )

    topics = (
        Certificate.objects.filter(revoked_at=None, issued_on__lte=on)
        .filter(Q(registration__business=business) | Q(registration__person=business.owner_id))
        .values_list("registration__cohort__programme__topic", flat=True)
    )
    documents = {d.kind for d in business.documents.all() if d.is_valid_on(on) and (d.issued_on or on) <= on}
    aid = Application.objects.filter(business=business, status=ApplicationStatus.DISBURSED).exists()
    return Facts(latest.level if latest else None, frozenset(topics), frozenset(documents), aid)


def eligibility(
    programme: Programme, business: Business, facts: Facts, *, amount: int, on: date
) -> list[dict]:
    """Why this business may not receive this amount from this programme (codes with their values; see
    reason_text); an empty list means it may."""
    reasons = []
    if not (programme.opens_on <= on <= programme.closes_on):
        reasons.append(
            {
                "code": "closed",
                "start": programme.opens_on.isoformat(),
                "end": programme.closes_on.isoformat(),
            }
        )
    code = business.village_id
    if not codes.code_within(code, programme.region_id):
        reasons.append({"code": "region", "region": programme.region.name})
    if programme.size_classes and business.size_class not in programme.size_classes:
        reasons.append(
            {"code": "size_class", "allowed": programme.size_classes, "actual": business.size_class}
        )
    if programme.sectors and business.sector not in programme.sectors:
        reasons.append({"code": "sector", "allowed": programme.sectors, "actual": business.sector})
    if programme.statuses and business.status not in programme.statuses:
        reasons.append({"code": "status", "allowed": programme.statuses, "actual": business.status})
    if programme.min_level and (facts.level or 0) < programme.min_level:
        reasons.append({"code": "level", "min": programme.min_level, "actual": facts.level})
    if programme.training_topic and programme.training_topic not in facts.trained_topics:
        reasons.append({"code": "training", "topic": programme.training_topic})
    missing = [kind for kind in programme.documents if kind not in facts.documents]
    if missing:
        reasons.append({"code": "documents", "docs": missing})
    if programme.max_amount and amount > programme.max_amount:
        reasons.append({"code": "amount", "max": programme.max_amount})
    return reasons


def score(programme: Programme, business: Business, facts: Facts) -> tuple[Decimal, dict]:
    values = {
        "level": (facts.level or 0) / 5,
        "operating": 1.0 if business.status in (BusinessStatus.OPERATING, BusinessStatus.MODERN) else 0.0,
        "trained": 1.0 if facts.trained_topics else 0.0,
        "documents": len(facts.documents & set(SCORED_DOCUMENTS)) / len(SCORED_DOCUMENTS),
        "first_aid": 0.0 if facts.earlier_aid else 1.0,
        "women": 1.0 if business.owner.gender == Gender.FEMALE else 0.0,
    }
    weights = {
        key: Decimal(str(programme.weights.get(key, default))) for key, (_label, default) in CRITERIA.items()
    }
    total = sum(weights.values())
    if not total:
        return Decimal(0), {"values": values, "weights": {k: str(v) for k, v in weights.items()}}
    result = sum(weights[k] * Decimal(str(values[k])) for k in CRITERIA) / total * 100
    details = {"values": values, "weights": {k: str(v) for k, v in weights.items()}}
    return result.quantize(Decimal("0.1")), details
