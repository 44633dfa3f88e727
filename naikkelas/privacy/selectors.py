"""Reads about consent, for the apps that must honour it."""

from dataclasses import dataclass

from naikkelas.core.models import OutboxMessage, OutboxStatus
from naikkelas.privacy.models import Consent


def consent_in_force(person_id: int | None, purpose: str) -> bool:
    return (
        bool(person_id)
        and Consent.objects.filter(person_id=person_id, purpose=purpose, withdrawn_at=None).exists()
    )


def requests_for(user):
    """The requests an officer answers: those of people served in their area, the most urgent first."""
    from naikkelas.accounts import permissions
    from naikkelas.privacy.models import DataRequest
    from naikkelas.privacy.services import can_answer

    if not (can_answer(user) or permissions.can(user, "oversee_privacy")):
        return DataRequest.objects.none()
    return overseen(DataRequest.objects.select_related("person"), user)


def overseen(queryset, user):
    """The privacy records (requests, breaches) of the user's area. The DPO's area is their office's region, for
    these records only: their scope for every other record is empty (they read no business, list or copy)."""
    from naikkelas.accounts.constants import Role
    from naikkelas.accounts.scope import region_q, scoped

    if getattr(user, "effective_role", None) == Role.DATA_PROTECTION_OFFICER:
        if not user.region_id:
            return queryset.none()
        return queryset.filter(region_q(queryset.model.scope_region_field, [user.region_id], narrow=False))
    return scoped(queryset, user)


def clock(due_at, now) -> dict:
    """Time left to answer a request or tell of a breach (hours, rounded down), or how late."""
    seconds = (due_at - now).total_seconds()
    return {
        "late": seconds < 0,
        "hours": int(abs(seconds) // 3600),
        "minutes": int(abs(seconds) % 3600 // 60),
    }


@dataclass(frozen=True)
class Reminders:
    open: int
    urgent: int  # due within 24 hours, or late
    outbox: int  # messages to people an officer must send by hand (no gateway set)


def reminders(user, now=None) -> Reminders:
    from datetime import timedelta

    from django.utils import timezone

    from naikkelas.privacy.models import RequestStatus

    now = now or timezone.now()
    waiting = requests_for(user).filter(status=RequestStatus.OPEN)
    return Reminders(
        open=waiting.count(),
        urgent=waiting.filter(due_at__lte=now + timedelta(hours=24)).count(),
        outbox=outbox_for(user).filter(status=OutboxStatus.WAITING).count(),
    )


def outbox_for(user):
    """The messages to people of the officer's area (staff only)."""
    from naikkelas.accounts import permissions
    from naikkelas.accounts.scope import scoped

    if not permissions.is_staff_role(user):
        return OutboxMessage.objects.none()
    return scoped(OutboxMessage.objects.all(), user)
