"""Writes for accounts: API tokens (made, listed, revoked; they expire)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from naikkelas.accounts.models import ApiToken, User
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditAction


def _valid_tokens(user: User):
    now = timezone.now()
    return user.api_tokens.filter(revoked_at=None).filter(Q(expires_at=None) | Q(expires_at__gt=now))


@transaction.atomic
def api_token_get_or_create(*, user: User) -> str:
    """A working token for the user: a valid one they have, or a new one."""
    token = _valid_tokens(user).order_by("created").first()
    if token is not None:
        return token.reveal()
    _token, key = ApiToken.issue(user, name="cli")
    return key


def api_token_authenticate(key: str) -> User | None:
    """The token's user, unless the token is unknown, revoked or expired, or the user is inactive."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > timedelta(minutes=5):  # one write per five minutes
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


TOKEN_NAME_REQUIRED = gettext_lazy("Name: say what the token is for, e.g. “rekap SIDT”.")
TOKEN_DAYS_INVALID = gettext_lazy("Valid for: a number of days from 1 to 365.")


@transaction.atomic
def api_token_create(*, actor: User, name: str, days) -> tuple[ApiToken, str]:
    """A new token for the actor's own programs; the key is shown once on the page."""
    name = (name or "").strip()[:100]
    errors = {}
    if not name:
        errors["name"] = [str(TOKEN_NAME_REQUIRED)]
    try:
        days = int(str(days or settings.API_TOKEN_DAYS).strip())
    except ValueError:
        days = 0
    if not 1 <= days <= 365:
        errors["days"] = [str(TOKEN_DAYS_INVALID)]
    if errors:
        raise ValidationError(errors)
    token, key = ApiToken.issue(actor, name=name, days=days)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        region_code=actor.region_id or "",
        after={"name": name, "expires_at": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens: programs using it are refused from now on."""
    if token.user_id != actor.pk:
        raise PermissionDenied(str(NOT_YOUR_TOKEN))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=token,
            region_code=actor.region_id or "",
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token


NOT_YOUR_TOKEN = gettext_lazy("This token is not yours.")


SYSTEM_USERNAME = "sistem"


def system_user() -> User:
    """The account that command-line jobs act as when no person is named: a national admin no one can log in as."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_superuser": True, "first_name": "Sistem naikkelas"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
