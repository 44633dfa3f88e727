"""Language: Bahasa Indonesia unless the person chose English (cookie), whatever their browser says.

An office's phones and laptops often run an English browser; the interface still opens in Indonesian. API
clients, which have no cookie and no language switch, are answered in the language of their Accept-Language.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            if request.path.startswith("/api/"):
                language = translation.get_language_from_request(request)
            else:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


NUL_REFUSED = _("The request contains a NUL character, which no field accepts.")


class RefuseNulMiddleware:
    """A NUL character (%00 in a URL, \\u0000 in JSON) reaches no database: PostgreSQL refuses it with an error.

    Refused here once, with a clear 400, instead of a server error wherever a value meets a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = str(NUL_REFUSED)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [{"field": "body", "message": message}]}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.get_full_path() or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in v for values in request.GET.lists() for v in values[1]):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            if request.content_type.startswith("multipart/"):  # uploads: the fields, never the files' bytes
                return any("\x00" in v for values in request.POST.lists() for v in values[1])
            body = request.body
            if b"\x00" in body or b"\\u0000" in body.lower():
                return True
        return False


class IdleTimeoutMiddleware:
    """Log out a session left idle: office staff after SESSION_IDLE_MINUTES_STAFF (default 30; they open
    people's data on shared office computers), everyone else after SESSION_IDLE_MINUTES. A session marks its
    last activity at most once a minute, so reading pages does not write the session on every request. A page's
    own polling (a progress bar, sent with the X-Naikkelas-Poll header) is not activity: it neither keeps an
    unattended session alive nor writes the session (on SQLite a long import holds the only write lock)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            from naikkelas.accounts.permissions import is_staff_role

            limit = (
                settings.SESSION_IDLE_MINUTES_STAFF if is_staff_role(user) else settings.SESSION_IDLE_MINUTES
            ) * 60
            now = int(time.time())
            seen = request.session.get("seen_at")
            if seen is not None and now - seen > limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # the API answers 401 itself
                messages.info(request, IDLE_LOGGED_OUT)
                url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
            poll = request.headers.get(POLL_HEADER) == "1"
            if not poll and (seen is None or now - seen >= 60):
                request.session["seen_at"] = now
        return self.get_response(request)


POLL_HEADER = "X-Naikkelas-Poll"
IDLE_LOGGED_OUT = _("You were logged out after a while without activity. Log in again to continue.")
