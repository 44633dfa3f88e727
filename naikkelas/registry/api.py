"""API routers for businesses and cooperatives: the same selectors and services as the pages."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status

from naikkelas.api.schemas import ErrorOut, Loose, Page, Paging, page_of
from naikkelas.core import personal
from naikkelas.registry import kbli, national, selectors, services
from naikkelas.registry import validation as v
from naikkelas.registry.constants import BusinessStatus, CooperativeStatus, CooperativeType, SizeClass
from naikkelas.registry.models import Business, Cooperative

businesses = Router(tags=["businesses"])
cooperatives = Router(tags=["cooperatives"])


def _check_choice(field: str, value: str, choices) -> None:
    """A filter value must be one of the choices; the same check and message as the services use."""
    v.clean_fields({field: value}, {field: (field, v.choice(choices))}, partial=False)


class BusinessOut(Schema):
    id: int
    name: str
    owner_name: str
    nik_masked: str
    nib: str
    sector: str
    kbli: str
    kbli_title: str = ""  # the code's KBLI 2020 name (its own, or its golongan pokok's)
    village_code: str
    address: str
    phone: str
    founded: date | None
    employees: int | None
    assets: int | None
    annual_revenue: int | None
    size_class: str
    status: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    # From the SIDT-KUMKM layout (or typed by the office).
    legal_form: str = ""
    main_activity: str = ""
    main_product: str = ""
    founding_capital: int | None = None
    workers_paid_men: int | None = None
    workers_paid_women: int | None = None
    workers_unpaid_men: int | None = None
    workers_unpaid_women: int | None = None
    workers_disabled: int | None = None
    owner_education: str = ""
    owner_disability: bool | None = None
    # On creation: businesses the office already has that are probably this one.
    possible_duplicates: list[int] = []

    @staticmethod
    def resolve_owner_name(obj: Business) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_nik_masked(obj: Business) -> str:
        return obj.owner.nik_masked

    @staticmethod
    def resolve_owner_education(obj: Business) -> str:
        return obj.owner.education

    @staticmethod
    def resolve_owner_disability(obj: Business) -> bool | None:
        return obj.owner.has_disability

    @staticmethod
    def resolve_kbli_title(obj: Business) -> str:
        return kbli.title(obj.kbli) if obj.kbli else ""

    @staticmethod
    def resolve_village_code(obj: Business) -> str:
        return obj.village_id


class SourceOut(Schema):
    file: str
    sheet: str
    row: int


class BusinessDetailOut(BusinessOut):
    sources: list[SourceOut]

    @staticmethod
    def resolve_sources(obj: Business) -> list:
        # Rows of imported files that created or confirmed this record (intake.RecordSource, by reverse relation).
        return list(obj.sources.all()) if hasattr(obj, "sources") else []


BusinessList = Page[BusinessOut]


class BusinessIn(Schema):
    name: Loose = None
    owner_id: int | None = None
    owner_name: Loose = None
    owner_nik: Loose = None
    owner_phone: Loose = None
    owner_email: Loose = None
    nib: Loose = None
    sector: Loose = None
    kbli: Loose = None
    address: Loose = None
    village: Loose = None
    village_code: Loose = None
    latitude: float | str | None = None
    longitude: float | str | None = None
    phone: Loose = None
    founded: Loose = None
    employees: Loose = None
    assets: Loose = None
    annual_revenue: Loose = None
    status: Loose = None
    legal_form: Loose = None
    main_activity: Loose = None
    main_product: Loose = None
    founding_capital: Loose = None
    workers_paid_men: Loose = None
    workers_paid_women: Loose = None
    workers_unpaid_men: Loose = None
    workers_unpaid_women: Loose = None
    workers_disabled: Loose = None
    note: str | None = None

    def service_data(self) -> dict:
        data = self.dict(exclude_unset=True)
        if "village_code" in data:
            data["village"] = data.pop("village_code")
        data.pop("note", None)
        return data


class BusinessFilterQuery(Schema):
    q: str = ""
    region: str = ""
    status: str = ""
    sector: str = ""
    size_class: str = ""
    gap: str = ""  # a data-quality gap: nik, phone, address, kbli, kbli_unmapped, duplicate, unverified


UNKNOWN_GAP = gettext_lazy("gap: one of %(choices)s.")


class NikOut(Schema):
    nik: str


NIK_IN_URL = gettext_lazy(
    "q: a NIK is never sent in the address (it would land in logs); search it with POST /api/v1/businesses/search."
)


class BusinessSearchIn(BusinessFilterQuery):
    page: int = 1
    page_size: int = 25


@businesses.get("", response={200: BusinessList, 422: ErrorOut})
def business_list(request, filters: Query[BusinessFilterQuery], paging: Query[Paging]):
    if personal.nik_of(filters.q):
        raise ValidationError({"q": [str(NIK_IN_URL)]})
    return _business_page(request, filters, paging)


@businesses.get("/sidt", response={200: Page[dict], 422: ErrorOut})
def business_list_sidt(request, filters: Query[BusinessFilterQuery], paging: Query[Paging]):
    """The list in the SIDT-KUMKM export's layout (its 49 columns as keys), for sending cleaned data back up."""
    if personal.nik_of(filters.q):
        raise ValidationError({"q": [str(NIK_IN_URL)]})
    _check_gap(filters.gap)
    _check_choice("status", filters.status, BusinessStatus)
    _check_choice("size_class", filters.size_class, SizeClass)
    qs = selectors.business_list(user=request.auth, filters=selectors.BusinessFilters(**filters.dict()))
    page = page_of(qs.values_list("pk", flat=True), paging)
    rows = national.sidt_rows(qs.filter(pk__in=page["items"]))
    return {**page, "items": [dict(zip(national.SIDT_COLUMNS, _plain(row), strict=True)) for row in rows]}


def _plain(row: tuple) -> list:
    """JSON-ready cells: dates as ISO text, coordinates as numbers."""
    return [
        v.isoformat() if hasattr(v, "isoformat") else float(v) if isinstance(v, Decimal) else v for v in row
    ]


@businesses.post("/search", response={200: BusinessList, 422: ErrorOut})
def business_search(request, body: BusinessSearchIn):
    """The list's filters in the body: the way to search by NIK (a NIK never goes in a URL)."""
    filters = BusinessFilterQuery(**body.dict(exclude={"page", "page_size"}))
    return _business_page(request, filters, Paging(page=body.page, page_size=body.page_size))


def _check_gap(gap: str) -> None:
    from naikkelas.intake.quality import GAPS

    if gap and gap not in GAPS:
        raise ValidationError({"gap": [str(UNKNOWN_GAP) % {"choices": ", ".join(GAPS)}]})


def _business_page(request, filters: BusinessFilterQuery, paging: Paging):
    _check_gap(filters.gap)
    _check_choice("status", filters.status, BusinessStatus)
    _check_choice("size_class", filters.size_class, SizeClass)
    wanted = selectors.BusinessFilters(**filters.dict())
    known = selectors.business_count(user=request.auth, filters=wanted)
    qs = selectors.business_list(user=request.auth, filters=wanted, expected=known)
    return page_of(qs, paging, known)


@businesses.post("", response={201: BusinessOut, 422: ErrorOut, 403: ErrorOut})
def business_create(request, payload: BusinessIn):
    business = services.business_create(actor=request.auth, data=payload.service_data())
    created = selectors.business_get_for_user(user=request.auth, pk=business.pk)
    created.possible_duplicates = [
        b.pk for b in selectors.similar_businesses(user=request.auth, business=created)
    ]
    return Status(201, created)


@businesses.get("/{int:business_id}", response={200: BusinessDetailOut, 404: ErrorOut})
def business_get(request, business_id: int):
    return selectors.business_get_for_user(user=request.auth, pk=business_id)


@businesses.patch(
    "/{int:business_id}", response={200: BusinessOut, 404: ErrorOut, 422: ErrorOut, 403: ErrorOut}
)
def business_patch(request, business_id: int, payload: BusinessIn):
    business = selectors.business_get_for_user(user=request.auth, pk=business_id)
    services.business_update(
        actor=request.auth, business=business, data=payload.service_data(), note=payload.note or ""
    )
    return selectors.business_get_for_user(user=request.auth, pk=business_id)


@businesses.post("/{int:business_id}/owner-nik", response={200: NikOut, 404: ErrorOut, 403: ErrorOut})
def business_owner_nik(request, business_id: int):
    """The owner's full NIK, for roles allowed to see it; every call is written to the audit log."""
    business = selectors.business_get_for_user(user=request.auth, pk=business_id)
    return {
        "nik": services.person_reveal_nik(
            actor=request.auth, person=business.owner, region_code=business.village_id
        )
    }


class CooperativeOut(Schema):
    id: int
    name: str
    legal_entity_number: str
    legal_entity_date: date | None
    nik_koperasi: str
    type: str
    level: str
    members: int
    village_code: str
    address: str
    phone: str
    chair_name: str
    status: str

    @staticmethod
    def resolve_village_code(obj: Cooperative) -> str:
        return obj.village_id


CooperativeList = Page[CooperativeOut]


class CooperativeIn(Schema):
    name: Loose = None
    legal_entity_number: Loose = None
    legal_entity_date: Loose = None
    nik_koperasi: Loose = None
    type: Loose = None
    level: Loose = None
    members: Loose = None
    village: Loose = None
    village_code: Loose = None
    address: Loose = None
    phone: Loose = None
    chair_name: Loose = None
    status: Loose = None

    def service_data(self) -> dict:
        data = self.dict(exclude_unset=True)
        if "village_code" in data:
            data["village"] = data.pop("village_code")
        return data


class CooperativeFilterQuery(Schema):
    q: str = ""
    region: str = ""
    status: str = ""
    type: str = ""


@cooperatives.get("", response={200: CooperativeList, 422: ErrorOut})
def cooperative_list(request, filters: Query[CooperativeFilterQuery], paging: Query[Paging]):
    _check_choice("status", filters.status, CooperativeStatus)
    _check_choice("type", filters.type, CooperativeType)
    qs = selectors.cooperative_list(user=request.auth, filters=selectors.CooperativeFilters(**filters.dict()))
    return page_of(qs, paging)


@cooperatives.get("/ods", response={200: Page[dict], 422: ErrorOut})
def cooperative_list_ods(request, filters: Query[CooperativeFilterQuery], paging: Query[Paging]):
    """The list in the columns of the ministry's ODS recap, with the last closed book year's RAT and books."""
    _check_choice("status", filters.status, CooperativeStatus)
    _check_choice("type", filters.type, CooperativeType)
    qs = selectors.cooperative_list(user=request.auth, filters=selectors.CooperativeFilters(**filters.dict()))
    page = page_of(qs.values_list("pk", flat=True), paging)
    rows = national.ods_rows(qs.filter(pk__in=page["items"]), timezone.localdate())
    return {**page, "items": [dict(zip(national.ODS_COLUMNS, _plain(row), strict=True)) for row in rows]}


@cooperatives.post("", response={201: CooperativeOut, 422: ErrorOut, 403: ErrorOut})
def cooperative_create(request, payload: CooperativeIn):
    cooperative = services.cooperative_create(actor=request.auth, data=payload.service_data())
    return Status(201, cooperative)


@cooperatives.get("/{int:cooperative_id}", response={200: CooperativeOut, 404: ErrorOut})
def cooperative_get(request, cooperative_id: int):
    return selectors.cooperative_get_for_user(user=request.auth, pk=cooperative_id)


@cooperatives.patch(
    "/{int:cooperative_id}", response={200: CooperativeOut, 404: ErrorOut, 422: ErrorOut, 403: ErrorOut}
)
def cooperative_patch(request, cooperative_id: int, payload: CooperativeIn):
    cooperative = selectors.cooperative_get_for_user(user=request.auth, pk=cooperative_id)
    return services.cooperative_update(
        actor=request.auth, cooperative=cooperative, data=payload.service_data()
    )
