"""Business owners log in with their phone number, however they type it (0812-3456-7890, +62 812 …, 62812…):
their account's username is the number in E.164, which this backend tries after the plain username."""

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
