"""Writes for accounts: API tokens."""

from django.db import transaction

from naikkelas.accounts.models import ApiToken, User


@transaction.atomic
def api_token_get_or_create(*, user: User) -> str:
    """A working token for the user: the existing one, or a new one."""
    token = user.api_tokens.order_by("created").first()
    if token is not None:
        return token.reveal()
    _token, key = ApiToken.issue(user, name="cli")
    return key


def api_token_authenticate(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    return token.user
