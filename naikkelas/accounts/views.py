"""Home, the audit log page and the small account pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naikkelas.accounts import services
from naikkelas.accounts.constants import Role
from naikkelas.accounts.scope import scope_for
from naikkelas.accounts.selectors import audit_filter_from, audit_list, audit_record_types
from naikkelas.core.models import AuditAction


def home(request: HttpRequest) -> HttpResponse:
    """Anyone not logged in (and the public role) lands on the public catalogue, which links to the login page;
    everyone else on their Beranda."""
    role = scope_for(request.user).role if request.user.is_authenticated else Role.PUBLIC
    if role == Role.PUBLIC:
        from naikkelas.catalog.views import home as catalogue

        return catalogue(request)
    return redirect("dashboard:home")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:

    get = request.GET
    filters, errors = audit_filter_from(get)
    page = Paginator(audit_list(user=request.user, filters=filters), 50).get_page(get.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {
            "page": page,
            "f": filters,
            "errors": errors,
            "types": audit_record_types(),
            "actions": AuditAction.choices,
            "default_region": request.user.region_id or "",
        },
    )


LOCKED_OUT = gettext_lazy(
    "Too many wrong passwords for this account from this device. Try again in %(minutes)d minutes, or ask your "
    "admin or field officer to reset the password."
)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes answers a login while it is locked out: the login page with the reason, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": LOCKED_OUT % {"minutes": minutes}},
        status=429,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: made (the key shown once), listed with expiry and last use, revoked."""
    errors, new_key = {}, ""
    if request.method == "POST":
        try:
            _token, new_key = services.api_token_create(
                actor=request.user, name=request.POST.get("name", ""), days=request.POST.get("days", "")
            )
        except ValidationError as err:
            errors = err.message_dict
    tokens = request.user.api_tokens.order_by("-created")
    return render(
        request,
        "accounts/api_tokens.html",
        {"tokens": tokens, "errors": errors, "new_key": new_key, "default_days": settings.API_TOKEN_DAYS},
    )


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request,
        _("Token “%(name)s” revoked: programs using it are refused from now on.") % {"name": token.name},
    )
    return redirect("api_tokens")
