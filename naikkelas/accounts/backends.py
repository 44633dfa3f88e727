"""Business owners log in with their phone number, however they type it (0812-3456-7890, +62 812 …, 62812…):
their account's username is the number in E.164, which this backend tries after the plain username."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from naikkelas.core.phones import PhoneError, phone_to_e164


class PhoneNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            e164 = phone_to_e164(username)
        except (PhoneError, TypeError, ValueError):
            return None
        if not e164 or e164 == username:
            return None  # the model backend has already tried this username
        return super().authenticate(request, username=e164, password=password, **kwargs)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check. A call without a request (the shell, the test client's login) is no attack
    surface and has no address to count by: it is let through to the other backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_name(request, credentials) -> str:
    """The account a login attempt aims at, as axes counts it: a phone number in E.164 however it is typed."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    try:
        return phone_to_e164(raw) or raw
    except (PhoneError, TypeError, ValueError):
        return raw
