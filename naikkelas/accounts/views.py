"""Home, the audit log page and the small account pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from naikkelas.accounts.constants import Role
from naikkelas.accounts.scope import scope_for
from naikkelas.accounts.selectors import audit_list


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if scope_for(request.user).role == Role.COOPERATIVE_MANAGER:
        return redirect("cooperative_list")
    return redirect("business_list")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = audit_list(
        user=request.user, object_type=request.GET.get("type", ""), object_id=request.GET.get("id", "")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page})


LOCKED_OUT = gettext_lazy(
    "Too many wrong passwords for this account from this device. Try again in %(minutes)d minutes, or ask your "
    "admin or field officer to reset the password."
)


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes answers a login while it is locked out: the login page with the reason, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    return render(request, "registration/login.html", {"form": form, "locked_out": LOCKED_OUT % {"minutes": minutes}},
                  status=429)  # fmt: skip
