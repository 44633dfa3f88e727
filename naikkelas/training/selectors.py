"""Training reads, scoped: cohorts, the businesses a cohort should invite, invitation links."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from naikkelas.accounts.scope import region_q, scoped
from naikkelas.core.describe import topic_words
from naikkelas.core.phones import whatsapp_link
from naikkelas.lifecycle.models import Answer, Assessment, Question
from naikkelas.performance.models import ReportValue
from naikkelas.performance.selectors import spread
from naikkelas.privacy.models import ConsentPurpose
from naikkelas.privacy.selectors import consent_in_force
from naikkelas.regions.models import ancestor_codes
from naikkelas.registry.models import Business
from naikkelas.training.models import Certificate, Cohort, Registration, RegistrationStatus, Session


def cohorts_for(*, user) -> QuerySet[Cohort]:
    return scoped(Cohort.objects.select_related("programme", "region"), user)


def session_get_for_user(*, user, pk) -> Session:
    """A session of a cohort the user may see (404 otherwise)."""
    try:
        return Session.objects.select_related("cohort").get(pk=int(pk), cohort__in=cohorts_for(user=user))
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def cohort_get_for_user(*, user, pk) -> Cohort:
    try:
        return cohorts_for(user=user).get(pk=int(pk))
    except (Cohort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class Candidate:
    business: Business
    lost: Decimal  # scorecard points lost on the cohort's topic in the latest assessment
    answer: str
    level: int


def candidates(*, user, cohort: Cohort, limit: int = 200) -> list[Candidate]:
    """Businesses in the cohort's region (and the user's scope) whose latest assessment shows a gap on the
    programme's topic, the biggest gap first; those already registered are left out."""
    topic = cohort.programme.topic
    in_region = scoped(
        Business.objects.filter(region_q("village__code", [cohort.region_id]), owner__restricted_at=None),
        user,
    ).exclude(status="closed")
    # The latest assessment of each business, as ids only (a regency has thousands).
    latest: dict[int, int] = {}
    for pk, business_id in (
        Assessment.objects.filter(business__in=in_region)
        .order_by("business_id", "-assessed_on", "-id")
        .values_list("pk", "business_id")
    ):
        latest.setdefault(business_id, pk)
    registered = set(cohort.registrations.exclude(status="cancelled").values_list("person_id", flat=True))
    answers = Answer.objects.filter(assessment__in=list(latest.values()), question__topic=topic).values_list(
        "assessment__business_id",
        "assessment__instrument_id",
        "assessment__level",
        "question__weight",
        "option__value",
        "option__label",
    )
    weights: dict[int, int] = {}
    gaps = []
    for business_id, instrument, level, weight, value, label in answers:
        if value >= 100:
            continue
        if instrument not in weights:
            weights[instrument] = (
                sum(Question.objects.filter(instrument_id=instrument).values_list("weight", flat=True)) or 1
            )
        lost = (Decimal(weight * (100 - value)) / weights[instrument]).quantize(Decimal("0.1"))
        gaps.append((business_id, lost, label, level))
    # Ranked on names and owners alone; only the businesses shown are loaded whole, with their owners.
    facts = {
        pk: (name, owner)
        for pk, name, owner in Business.objects.filter(pk__in=[g[0] for g in gaps]).values_list(
            "pk", "name", "owner_id"
        )
    }
    ranked = sorted(
        (g for g in gaps if facts[g[0]][1] not in registered), key=lambda g: (-g[1], g[3], facts[g[0]][0])
    )[:limit]
    businesses = Business.objects.select_related("owner").in_bulk([g[0] for g in ranked])
    return [Candidate(businesses[pk], lost, label, level) for pk, lost, label, level in ranked]


def open_cohorts_near(*, village_codes, audience: str, today) -> QuerySet[Cohort]:
    """Cohorts still taking registrations that start today or later, in a region holding one of the villages
    (a regency's cohort is open to every village in it), for this audience: what an owner may sign up for."""
    regions = {a for code in village_codes for a in ancestor_codes(code)}
    return (
        Cohort.objects.filter(
            registration_open=True, starts_on__gte=today, programme__audience=audience, region_id__in=regions
        )
        .select_related("programme", "region")
        .order_by("starts_on", "pk")
    )


def whatsapp_invitation(cohort: Cohort, business: Business, register_url: str) -> str | None:
    """A wa.me link with the invitation typed in, for the officer to send from their own WhatsApp; none while the
    owner has not consented to be contacted by WhatsApp (privacy register: the basis is consent)."""
    phone = business.owner.phone or business.phone
    if not phone or not consent_in_force(business.owner_id, ConsentPurpose.WHATSAPP_CONTACT):
        return None
    text = _(
        "Hello %(name)s. The Dinas Koperasi dan UMKM invites %(business)s to the training %(programme)s "
        "starting %(day)s. Register here: %(url)s"
    ) % {
        "name": business.owner.name,
        "business": business.name,
        "programme": cohort.programme.name,
        "day": cohort.starts_on.strftime("%d/%m/%Y"),
        "url": register_url,
    }
    return whatsapp_link(phone, text)


def registration_by_token(token: str) -> Registration:
    registration = (
        Registration.objects.filter(token=token).select_related("cohort__programme", "person").first()
    )
    if registration is None:
        raise Http404
    return registration


@dataclass
class Summary:
    label: str
    cohorts: int = 0
    registered: int = 0
    completed: int = 0
    women: int = 0
    men: int = 0
    businesses: int = 0  # completed participants' businesses with a level before and after
    moved_up: int = 0
    budget: int = 0

    @property
    def moved_share(self) -> float | None:
        return self.moved_up / self.businesses if self.businesses else None

    @property
    def cost_per_participant(self) -> int | None:
        return self.budget // self.completed if self.completed else None

    @property
    def cost_per_mover(self) -> int | None:
        return self.budget // self.moved_up if self.moved_up else None


def training_summary(*, user, by: str = "topic") -> list[Summary]:
    """People trained and what came of it, per programme topic or per cohort region: registrations and
    completions (by gender), the share of completers' businesses whose scorecard level rose after the cohort
    began, and cost per completer and per business that moved up."""

    groups: dict[str, Summary] = {}
    for cohort in cohorts_for(user=user):
        label = topic_words(cohort.programme.topic) if by == "topic" else cohort.region.name
        s = groups.setdefault(label, Summary(label))
        s.cohorts += 1
        s.budget += cohort.budget
        s.registered += cohort.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        done = Certificate.objects.filter(
            registration__cohort=cohort, revoked_at__isnull=True
        ).select_related("registration__person")
        for certificate in done:
            s.completed += 1
            gender = certificate.registration.person.gender
            s.women += gender == "P"
            s.men += gender == "L"
            business_id = certificate.registration.business_id
            if not business_id:
                continue
            levels = list(
                Assessment.objects.filter(business_id=business_id)
                .order_by("assessed_on", "id")
                .values_list("assessed_on", "level")
            )
            before = [lv for day, lv in levels if day < cohort.starts_on]
            after = [lv for day, lv in levels if day >= cohort.starts_on]
            if before and after:
                s.businesses += 1
                s.moved_up += after[-1] > before[-1]
    return sorted(groups.values(), key=lambda s: s.label)


def kpi_by_cohort(*, user, kpi, month) -> list:
    """A KPI for the month across each cohort's participants (registered, in scope): median and quartiles, to
    set beside the office's view by region, sector and size class."""

    out = []
    for cohort in cohorts_for(user=user):
        businesses = (
            cohort.registrations.filter(status="registered").exclude(business=None).values("business_id")
        )
        values = list(
            scoped(
                ReportValue.objects.filter(kpi=kpi, report__month=month, report__business_id__in=businesses),
                user,
            ).values_list("value", flat=True)
        )
        out.append(spread(f"{cohort.name} ({cohort.programme.name})", str(cohort.pk), values))
    return out


def training_summary_table(rows) -> tuple[list, list]:
    """The summary as an export: one row per group, cost per completer and per business that moved up."""
    header = [_("Group"), _("Cohorts"), _("Registered"), _("Completed"), _("Women"), _("Men"),
              _("Businesses with levels before and after"), _("Moved up a level"), _("Budget (Rp)"),
              _("Cost per completer (Rp)"), _("Cost per business that moved up (Rp)")]  # fmt: skip
    data = [[s.label, s.cohorts, s.registered, s.completed, s.women, s.men, s.businesses, s.moved_up, s.budget,
             s.cost_per_participant, s.cost_per_mover] for s in rows]  # fmt: skip
    return header, data
