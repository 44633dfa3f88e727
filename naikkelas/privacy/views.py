"""A person's own data: what naikkelas holds about them, and a copy to download (JSON or CSV)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from naikkelas.privacy import services
from naikkelas.privacy.holdings import gather
from naikkelas.registry.models import Person

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
    return render(request, "privacy/my_data.html", {"person": person, "kinds": kinds, "held": held})


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
