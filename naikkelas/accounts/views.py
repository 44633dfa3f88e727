"""Home, the audit log page and the small account pages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

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
