"""Reads about consent, for the apps that must honour it."""

from naikkelas.privacy.models import Consent


def consent_in_force(person_id: int | None, purpose: str) -> bool:
    return (
        bool(person_id)
        and Consent.objects.filter(person_id=person_id, purpose=purpose, withdrawn_at=None).exists()
    )
