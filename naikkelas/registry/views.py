"""Pages of the registry: thin function views over selectors and services."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.accounts import permissions
from naikkelas.accounts.scope import scope_for
from naikkelas.accounts.selectors import record_history
from naikkelas.core import personal
from naikkelas.core.audit import export_record
from naikkelas.core.exports import csv_response, xlsx_response
from naikkelas.core.phones import phone_display
from naikkelas.regions.models import Level, Region
from naikkelas.registry import kbli, national, selectors, services
from naikkelas.registry.constants import BusinessStatus, CooperativeStatus, CooperativeType, SizeClass
from naikkelas.registry.forms import BusinessForm, CooperativeForm, DocumentForm

PAGE_SIZE = 25


def region_navigation(user, code: str) -> dict:
    """Breadcrumb to the chosen region and its children, never above the user's own scope."""
    scope = scope_for(user)
    if scope.everything:
        roots = list(Region.objects.filter(level=Level.PROVINCE))
    else:
        roots = list(Region.objects.filter(code__in=scope.region_codes))
    current = Region.objects.filter(code=code).first() if code else None
    if current is not None and not scope.covers_region(current.code):
        current = None
    crumbs = []
    if current is not None:
        root_codes = {r.code for r in roots}
        for region in current.ancestors():
            if crumbs or region.code in root_codes or scope.everything:
                crumbs.append(region)
    children = list(current.children.all()) if current is not None else (roots if len(roots) > 1 else [])
    if current is None and len(roots) == 1:
        children = list(roots[0].children.all())
        crumbs = [roots[0]]
    return {"current_region": current, "crumbs": crumbs, "child_regions": children}


class KnownCountPaginator(Paginator):
    """A paginator told the count (from the tallies) instead of counting the rows itself."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page(request, qs, count: int | None = None):
    paginator = Paginator(qs, PAGE_SIZE) if count is None else KnownCountPaginator(qs, PAGE_SIZE, count=count)
    return paginator.get_page(request.GET.get("page"))


def _nik_safe_query(data) -> QueryDict:
    """The list's filters as a query string, with a NIK in the search turned into its token."""
    query = QueryDict(mutable=True)
    for key in ("q", "region", "status", "sector", "size_class"):
        value = (data.get(key) or "").strip()
        if value:
            query[key] = personal.nik_search_token(value) if key == "q" else value
    return query


@require_http_methods(["GET", "POST"])
@login_required
def business_list(request: HttpRequest) -> HttpResponse:
    """The search form posts (a NIK typed in it must never reach a URL, and so the access log or the browser's
    history); the page's own URL carries the NIK's token instead."""
    if request.method == "POST" or personal.nik_of(request.GET.get("q", "")):
        query = _nik_safe_query(request.POST if request.method == "POST" else request.GET)
        url = f"{reverse('business_list')}?{query.urlencode()}" if query else reverse("business_list")
        if request.method == "GET" or not request.htmx:
            return redirect(url)
        request.GET = query
        response = business_list_page(request)
        response["HX-Push-Url"] = url
        return response
    return business_list_page(request)


def business_list_page(request: HttpRequest) -> HttpResponse:
    filters = selectors.BusinessFilters.from_mapping(request.GET)
    count = selectors.business_count(user=request.user, filters=filters)
    qs = selectors.business_list(user=request.user, filters=filters, expected=count)
    page = _page(request, qs, count=count)
    context = {
        "page": page,
        "filters": filters,
        "statuses": BusinessStatus.choices,
        "size_classes": SizeClass.choices,
        "sectors": selectors.business_sectors(user=request.user),
        "can_create": services.can_create(request.user),
        **region_navigation(request.user, filters.region),
    }
    template = "registry/business_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for_user(user=request.user, pk=pk)
    context = {
        "business": business,
        "history": business.status_history.select_related("actor"),
        "documents": business.documents.all(),
        "document_form": DocumentForm(),
        "audit": record_history(obj=business)[:50],
        "can_edit": services.can_edit_business(request.user, business),
        "declarations": business.declarations.filter(state="pending"),
        "can_decide": services.can_create(request.user),
        "can_view_nik": services.can_view_nik(request.user),
        "can_set_owner_login": services.can_create(request.user)
        and permissions.person_editable(request.user, business.owner),
        "other_businesses": selectors.business_list(user=request.user)
        .filter(owner=business.owner)
        .exclude(pk=business.pk)[:10],
    }
    return render(request, "registry/business_detail.html", context)


@require_POST
@login_required
def business_owner_account(request: HttpRequest, pk: int) -> HttpResponse:
    """A field officer sets up (or resets) the owner's login: their phone number and a password."""
    business = selectors.business_get_for_user(user=request.user, pk=pk)
    try:
        user = services.owner_account_set(
            actor=request.user,
            business=business,
            phone=request.POST.get("phone", ""),
            password=request.POST.get("password", ""),
        )
    except ValidationError as err:
        for messages_ in err.message_dict.values():
            for message in messages_:
                messages.error(request, message)
    else:
        messages.success(
            request,
            _("The owner can now log in with %(phone)s and the new password.")
            % {"phone": phone_display(user.username)},
        )
    return redirect("business_detail", pk=business.pk)


@require_POST
@login_required
def declaration_decide(request: HttpRequest, pk: int, declaration_id: int, decision: str) -> HttpResponse:
    """An officer confirms or rejects a figure the owner declared (one URL per decision)."""
    business = selectors.business_get_for_user(user=request.user, pk=pk)
    declaration = business.declarations.filter(pk=declaration_id).first()
    if declaration is None or decision not in ("konfirmasi", "tolak"):
        raise Http404
    try:
        services.declaration_decide(
            actor=request.user, declaration=declaration, confirm=decision == "konfirmasi"
        )
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("business_detail", pk=business.pk)


@require_POST
@login_required
def business_reveal_nik(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for_user(user=request.user, pk=pk)
    nik = services.person_reveal_nik(
        actor=request.user, person=business.owner, region_code=business.village_id
    )
    return render(request, "registry/business_detail.html#nik", {"business": business, "nik": nik})


def _submit(request, form, save):
    """On a valid POST, hand the typed values to the service; its errors land on the form's fields."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.service_data())
    except ValidationError as err:
        form.apply_errors(err)
        return None


def _initial(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


@require_http_methods(["GET", "POST"])
@login_required
def business_create(request: HttpRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise PermissionDenied
    form = BusinessForm(request.POST or None, initial={"village": request.GET.get("village", "")})
    form.fields.pop("note")
    business = _submit(request, form, lambda data: services.business_create(actor=request.user, data=data))
    if business is not None:
        messages.success(request, _("Business “%(name)s” was saved.") % {"name": business.name})
        similar = selectors.similar_businesses(user=request.user, business=business)
        if similar:
            messages.warning(
                request,
                _("It may be the same as: %(list)s. If so, merge them under Import › Likely duplicates.")
                % {"list": "; ".join(f"#{b.pk} {b.name} ({b.village.name})" for b in similar)},
            )
        return redirect("business_detail", pk=business.pk)
    return render(request, "registry/business_form.html", {"form": form, "business": None})


@require_http_methods(["GET", "POST"])
@login_required
def business_edit(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for_user(user=request.user, pk=pk)
    if not services.can_edit_business(request.user, business):
        raise PermissionDenied
    initial = _initial(business, [f for f in BusinessForm.base_fields if hasattr(business, f)])
    initial.update(
        village=business.village_id,
        owner_name=business.owner.name,
        owner_phone=business.owner.phone,
        owner_email=business.owner.email,
    )
    form = BusinessForm(request.POST or None, initial=initial)
    if not permissions.is_staff_role(request.user):
        form.fields.pop("status")  # set by officers from their visits
        for name in services.DECLARED_FIELDS:
            form.fields[name].help_text = _("Your field officer confirms a change before it counts.")
    form.fields["owner_nik"].help_text = _("Currently %(masked)s. Leave empty to keep it.") % {
        "masked": business.owner.nik_masked or "—"
    }

    def save(data):
        if not data.get("owner_nik"):
            data.pop("owner_nik", None)  # empty means "keep the NIK we have"
        note = request.POST.get("note", "")
        return services.business_update(actor=request.user, business=business, data=data, note=note)

    if _submit(request, form, save) is not None:
        messages.success(request, _("Changes saved."))
        if business.declarations.filter(state="pending", declared_by=request.user).exists():
            messages.info(
                request,
                _(
                    "The assets and revenue you entered wait for your field officer to confirm "
                    "them; until then the figures confirmed before count."
                ),
            )
        return redirect("business_detail", pk=business.pk)
    return render(request, "registry/business_form.html", {"form": form, "business": business})


@require_POST
@login_required
def business_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get_for_user(user=request.user, pk=pk)
    form = DocumentForm(request.POST)
    form.is_valid()
    try:
        services.legal_document_add(actor=request.user, business=business, data=form.service_data())
    except ValidationError as err:
        for field_errors in err.message_dict.values():
            for message in field_errors:
                messages.error(request, message)
    else:
        messages.success(request, _("Document added."))
    return redirect("business_detail", pk=business.pk)


@login_required
def cooperative_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.CooperativeFilters.from_mapping(request.GET)
    page = _page(request, selectors.cooperative_list(user=request.user, filters=filters))
    context = {
        "page": page,
        "filters": filters,
        "statuses": CooperativeStatus.choices,
        "types": CooperativeType.choices,
        "can_create": services.can_create(request.user),
        **region_navigation(request.user, filters.region),
    }
    template = "registry/cooperative_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
def cooperative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    context = {
        "cooperative": cooperative,
        "history": cooperative.status_history.select_related("actor"),
        "audit": record_history(obj=cooperative)[:50],
        "can_edit": services.can_edit_cooperative(request.user, cooperative),
    }
    return render(request, "registry/cooperative_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cooperative_create(request: HttpRequest) -> HttpResponse:
    if not services.can_create(request.user):
        raise PermissionDenied
    form = CooperativeForm(request.POST or None)
    cooperative = _submit(
        request, form, lambda data: services.cooperative_create(actor=request.user, data=data)
    )
    if cooperative is not None:
        messages.success(request, _("Cooperative “%(name)s” was saved.") % {"name": cooperative.name})
        return redirect("cooperative_detail", pk=cooperative.pk)
    return render(request, "registry/cooperative_form.html", {"form": form, "cooperative": None})


@require_http_methods(["GET", "POST"])
@login_required
def cooperative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get_for_user(user=request.user, pk=pk)
    if not services.can_edit_cooperative(request.user, cooperative):
        raise PermissionDenied
    initial = _initial(cooperative, [f for f in CooperativeForm.base_fields if hasattr(cooperative, f)])
    initial["village"] = cooperative.village_id
    form = CooperativeForm(request.POST or None, initial=initial)

    def save(data):
        return services.cooperative_update(actor=request.user, cooperative=cooperative, data=data)

    if _submit(request, form, save) is not None:
        messages.success(request, _("Changes saved."))
        return redirect("cooperative_detail", pk=cooperative.pk)
    return render(request, "registry/cooperative_form.html", {"form": form, "cooperative": cooperative})


BUSINESS_EXPORT_COLUMNS = [
    ("id", "id"),
    ("nama_usaha", "name"),
    ("nama_pemilik", "owner.name"),
    ("nik_masked", "owner.nik_masked"),
    ("nib", "nib"),
    ("sektor", "sector"),
    ("kbli", "kbli"),
    ("alamat", "address"),
    ("kode_desa", "village_id"),
    ("desa", "village.name"),
    ("telepon", "phone"),
    ("berdiri", "founded"),
    ("tenaga_kerja", "employees"),
    ("aset", "assets"),
    ("omzet_tahunan", "annual_revenue"),
    ("kelas_usaha", "size_class"),
    ("status", "status"),
    ("status_badan_usaha", "legal_form"),
    ("kegiatan_utama", "main_activity"),
    ("produk_utama", "main_product"),
    ("modal_awal", "founding_capital"),
    ("tk_dibayar_laki", "workers_paid_men"),
    ("tk_dibayar_perempuan", "workers_paid_women"),
    ("tk_tidak_dibayar_laki", "workers_unpaid_men"),
    ("tk_tidak_dibayar_perempuan", "workers_unpaid_women"),
    ("tk_disabilitas", "workers_disabled"),
    ("pendidikan_pemilik", "owner.education"),
    ("pemilik_disabilitas", "owner.has_disability"),
    ("latitude", "latitude"),
    ("longitude", "longitude"),
]
COOPERATIVE_EXPORT_COLUMNS = [
    ("id", "id"),
    ("nama_koperasi", "name"),
    ("nomor_badan_hukum", "legal_entity_number"),
    ("tanggal_badan_hukum", "legal_entity_date"),
    ("nomor_induk_koperasi", "nik_koperasi"),
    ("jenis", "type"),
    ("tingkat", "level"),
    ("anggota", "members"),
    ("kode_desa", "village_id"),
    ("desa", "village.name"),
    ("alamat", "address"),
    ("telepon", "phone"),
    ("ketua", "chair_name"),
    ("status", "status"),
]


def _with_kbli_titles(names: list[str], rows):
    """A "judul_kbli" column after "kbli": the code's name (registry/kbli.py), looked up once per code."""
    at = names.index("kbli") + 1
    titles = functools.lru_cache(maxsize=4096)(kbli.title)
    return [*names[:at], "judul_kbli", *names[at:]], (
        (*row[:at], titles(row[at - 1]) if row[at - 1] else "", *row[at:]) for row in rows
    )


def _send(request, filename: str, object_type: str, names: list[str], rows):
    """Rows as CSV, or XLSX when the path ends in .xlsx; the caller has scoped them; the export is audited."""
    as_xlsx = request.path.endswith(".xlsx")
    export_record(actor=request.user, export=object_type, region_code=request.user.region_id or "",
                  filters=request.GET.dict())  # fmt: skip
    write = xlsx_response if as_xlsx else csv_response
    return write(filename.replace(".csv", ".xlsx") if as_xlsx else filename, names, rows)


def _export(request, qs, columns, filename, object_type):
    """The list's own columns; a KBLI code is followed by its name."""
    # Plain tuples from the database, no model objects: a million rows export in well under a minute.
    rows = qs.values_list(*(path.replace(".", "__") for _name, path in columns)).iterator(chunk_size=5000)
    names = [name for name, _path in columns]
    if "kbli" in names:
        names, rows = _with_kbli_titles(names, rows)
    return _send(request, filename, object_type, names, rows)


@login_required
def business_export(request: HttpRequest):
    """CSV of the filtered list, within the user's scope (the same selector as the page)."""
    filters = selectors.BusinessFilters.from_mapping(request.GET)
    qs = selectors.business_list(user=request.user, filters=filters)
    return _export(request, qs, BUSINESS_EXPORT_COLUMNS, "usaha.csv", "businesses")


@login_required
def business_export_sidt(request: HttpRequest):
    """The filtered list in the SIDT-KUMKM layout, within the user's scope."""
    filters = selectors.BusinessFilters.from_mapping(request.GET)
    qs = selectors.business_list(user=request.user, filters=filters)
    return _send(request, "usaha-sidt.csv", "businesses_sidt", national.SIDT_COLUMNS,
                            national.sidt_rows(qs))  # fmt: skip


@login_required
def cooperative_export_ods(request: HttpRequest):
    """The filtered list in the columns of the ministry's ODS recap, within the user's scope."""
    filters = selectors.CooperativeFilters.from_mapping(request.GET)
    qs = selectors.cooperative_list(user=request.user, filters=filters)
    return _send(request, "koperasi-ods.csv", "cooperatives_ods", national.ODS_COLUMNS,
                            national.ods_rows(qs, timezone.localdate()))  # fmt: skip


@login_required
def cooperative_export(request: HttpRequest):
    filters = selectors.CooperativeFilters.from_mapping(request.GET)
    qs = selectors.cooperative_list(user=request.user, filters=filters)
    return _export(request, qs, COOPERATIVE_EXPORT_COLUMNS, "koperasi.csv", "cooperatives")
