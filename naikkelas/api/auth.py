"""Bearer tokens for programs; the browser session for pages that call the API."""

from ninja.security import HttpBearer, SessionAuth

from naikkelas.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
