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
