"""Reads about consent, for the apps that must honour it."""

from naikkelas.privacy.models import Consent


def consent_in_force(person_id: int | None, purpose: str) -> bool:
    return (
        bool(person_id)
        and Consent.objects.filter(person_id=person_id, purpose=purpose, withdrawn_at=None).exists()
    )


def requests_for(user):
    """The requests an officer answers: those of people served in their area, the most urgent first."""
    from naikkelas.accounts.scope import scoped
    from naikkelas.privacy.models import DataRequest
    from naikkelas.privacy.services import can_answer

    if not can_answer(user):
        return DataRequest.objects.none()
    return scoped(DataRequest.objects.select_related("person"), user)


def clock(request, now) -> dict:
    """Time left to answer (hours, rounded down), or how late: what the officer's list shows."""
    seconds = (request.due_at - now).total_seconds()
    return {
        "late": seconds < 0,
        "hours": int(abs(seconds) // 3600),
        "minutes": int(abs(seconds) % 3600 // 60),
    }
