"""Beranda: what each person has to do today, by role (issue: a home page per role).

A field officer: the businesses to visit first, those flagged by their figures, the next training sessions. An
office admin: the funnel at a glance and what waits for a decision (applications, duplicate groups, late RATs,
checked imports). An owner: their businesses, this month's book, training and capital programmes open to them. A cooperative
manager: their cooperatives and their RAT. Every list comes from the apps' own scoped selectors."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scoped
from naikkelas.dashboard.selectors import funnel_for
from naikkelas.financing.models import ApplicationStatus
from naikkelas.financing.selectors import applications_for, programmes_for
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, UploadStatus
from naikkelas.intake.selectors import uploads_for
from naikkelas.lifecycle.selectors import worklist
from naikkelas.performance.models import Entry
from naikkelas.performance.selectors import flags
from naikkelas.registry.models import Business, Cooperative
from naikkelas.supervision.models import AnnualMeeting
from naikkelas.supervision.selectors import compliance
from naikkelas.training.models import Session
from naikkelas.training.selectors import cohorts_for, open_cohorts_near


@dataclass
class Task:
    """A number with what it means and where to act on it."""

    label: object
    count: int
    url: str


@dataclass
class Home:
    role: str
    today: date
    tasks: list[Task] = field(default_factory=list)
    visits: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    funnel: object = None
    businesses: list = field(default_factory=list)  # (business, sales, expenses) this month
    programmes: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)  # training open to the owner's businesses
    cooperatives: list = field(default_factory=list)  # (cooperative, latest meeting or None)


def _staff(home: Home, user) -> None:

    home.visits = list(worklist(user=user)[:8])
    home.flags = flags(user=user, today=home.today)[:5]
    start = timezone.make_aware(datetime.combine(home.today, time.min))
    home.sessions = list(
        Session.objects.filter(cohort__in=cohorts_for(user=user), starts_at__gte=start)
        .select_related("cohort")
        .order_by("starts_at")[:5]
    )


def _admin(home: Home, user) -> None:

    home.funnel = funnel_for(user=user, as_of=home.today.isoformat())
    waiting = applications_for(user=user).filter(
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.VERIFIED]
    )
    late = compliance(user=user, year=home.today.year - 1, today=home.today).late
    home.tasks = [
        Task(_("capital applications waiting for a decision"), waiting.count(), reverse("financing:programmes")),
        Task(_("groups of likely duplicates to review"),
             scoped(DuplicateCluster.objects.filter(status=ClusterStatus.OPEN), user).count(),
             reverse("intake:duplicates")),
        Task(_("cooperatives late with last year's RAT"), len(late), reverse("supervision:dashboard")),
        Task(_("checked imports not imported yet"), uploads_for(user).filter(status=UploadStatus.CHECKED).count(),
             reverse("intake:home")),
    ]  # fmt: skip


def _privacy(home: Home, user) -> None:
    """The 3×24-hour clock of people's requests about their data (UU 27/2022): a reminder on every login."""
    from naikkelas.privacy.selectors import reminders

    due = reminders(user)
    home.tasks += [
        Task(_("requests about personal data to answer"), due.open, reverse("privacy:requests")),
        Task(_("of them due within 24 hours or late"), due.urgent, reverse("privacy:requests")),
    ]
    if permissions.is_staff_role(user):  # the DPO sends nothing
        home.tasks.append(
            Task(_("messages to people waiting to be sent"), due.outbox, reverse("privacy:outbox"))
        )


def _owner(home: Home, user) -> None:

    month = home.today.replace(day=1)
    for business in scoped(Business.objects.exclude(status="closed"), user).order_by("name")[:10]:
        totals = Entry.objects.filter(business=business, day__gte=month, day__lte=home.today).aggregate(
            sales=Sum("amount", filter=Q(kind="sale")), expenses=Sum("amount", filter=Q(kind="expense"))
        )
        home.businesses.append((business, totals["sales"] or 0, totals["expenses"] or 0))
    home.programmes = list(programmes_for(user=user)[:5])
    villages = [b.village_id for b, _sales, _expenses in home.businesses]
    home.cohorts = list(open_cohorts_near(village_codes=villages, audience="umkm", today=home.today)[:5])


def _manager(home: Home, user) -> None:

    for cooperative in scoped(Cooperative.objects.all(), user).order_by("name")[:10]:
        meeting = AnnualMeeting.objects.filter(cooperative=cooperative).order_by("-book_year").first()
        home.cooperatives.append((cooperative, meeting))


def home_for(user, today: date | None = None) -> Home:
    home = Home(role=user.effective_role, today=today or timezone.localdate())
    if permissions.can(user, "see_dashboard"):
        _staff(home, user)
    if permissions.can(user, "decide_applications"):
        _admin(home, user)
    if permissions.can(user, "answer_data_requests") or permissions.can(user, "oversee_privacy"):
        _privacy(home, user)
    if permissions.can(user, "run_own_business"):
        _owner(home, user)
    if permissions.can(user, "manage_own_cooperative"):
        _manager(home, user)
    return home
