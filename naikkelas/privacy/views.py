"""A person's own data: what naikkelas holds about them, and a copy to download (JSON or CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from naikkelas.accounts import permissions
from naikkelas.privacy import services
from naikkelas.privacy.holdings import gather
from naikkelas.privacy.models import ConsentPurpose
from naikkelas.privacy.register import ACTIVITIES
from naikkelas.registry.models import Person

HOW_OWN_PAGE = gettext_lazy("on the person's own page in naikkelas")
FORMS = {"json": ("application/json", services.as_json), "csv": ("text/csv; charset=utf-8", services.as_csv)}


def _own_person(request: HttpRequest) -> Person:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """The signed-in person's data: how many records of each kind, and the copy to download."""
    person = _own_person(request)
    held = gather(person)
    kinds = sorted(((_label(k), len(rows)) for k, rows in held.records.items()), key=lambda x: x[0])
    in_force = set(person.consents.filter(withdrawn_at=None).values_list("purpose", flat=True))
    consents = [(value, label, value in in_force) for value, label in ConsentPurpose.choices]
    return render(
        request,
        "privacy/my_data.html",
        {"person": person, "kinds": kinds, "held": held, "consents": consents},
    )


@login_required
@require_POST
def my_consent(request: HttpRequest) -> HttpResponse:
    """Give or withdraw one of the person's consents, from their own page."""
    person = _own_person(request)
    purpose, give = request.POST.get("purpose", ""), request.POST.get("give") == "1"
    try:
        if give:
            services.consent_give(actor=request.user, person=person, purpose=purpose, how=str(HOW_OWN_PAGE))
            messages.success(request, _("Consent given. You may withdraw it here at any time."))
        else:
            services.consent_withdraw(actor=request.user, person=person, purpose=purpose)
            messages.success(request, _("Consent withdrawn: it is no longer used from now on."))
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("privacy:my_data")


def _label(model_label: str) -> str:
    from django.apps import apps

    return str(apps.get_model(model_label)._meta.verbose_name_plural).capitalize()


def _download(request: HttpRequest, person: Person, form: str) -> HttpResponse:
    if form not in FORMS:
        raise Http404
    held = services.personal_copy(actor=request.user, person=person, form=form)
    content_type, write = FORMS[form]
    response = HttpResponse(write(held), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{person.pk}.{form}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_copy(request: HttpRequest, form: str) -> HttpResponse:
    return _download(request, _own_person(request), form)


@login_required
@require_POST
def person_copy(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    """For an office's officer handing a person their copy (after seeing their KTP); refused (403) to others."""
    person = get_object_or_404(Person.objects, pk=pk)
    return _download(request, person, form)


@login_required
def processing_register(request: HttpRequest) -> HttpResponse:
    """The register of processing activities (Pasal 31), for the office's staff."""
    if not permissions.is_staff_role(request.user):
        raise PermissionDenied
    return render(request, "privacy/register.html", {"activities": ACTIVITIES})
