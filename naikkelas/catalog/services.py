"""Every catalogue write: products and their photos (owners), curation (the office), shop links, counts of views
and WhatsApp clicks, and saved cost scenarios. Each write bumps the catalogue's cache version, so a cached public
page never outlives the data it shows."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.accounts import permissions
from naikkelas.accounts.models import User
from naikkelas.catalog import costing
from naikkelas.catalog.models import (
    Category,
    Marketplace,
    Product,
    ProductDaily,
    ProductPhoto,
    ProductStatus,
    Scenario,
    ShopLink,
)
from naikkelas.core.audit import audit_record, snapshot
from naikkelas.core.bulk import among
from naikkelas.core.images import decode_all, renditions
from naikkelas.core.models import AuditAction
from naikkelas.core.validation import ParseError, parse_money
from naikkelas.regions import codes
from naikkelas.registry.constants import BusinessStatus
from naikkelas.registry.models import Business

NOT_YOURS = gettext_lazy("You may manage only the products of a business you own or coach.")
NOT_CURATOR = gettext_lazy("Only field officers and office admins publish, hide or feature products.")
NAME_REQUIRED = gettext_lazy("Product name: fill it in.")
PRICE_INVALID = gettext_lazy("Price: an amount in Rupiah greater than 0, e.g. 15.000.")
CATEGORY_INVALID = gettext_lazy("Category: choose one from the list.")
WEIGHT_INVALID = gettext_lazy("Weight: whole grams, e.g. 250.")
TOO_MANY_PHOTOS = gettext_lazy("A product has at most %(n)s photos.")
URL_INVALID = gettext_lazy("Shop address: a full web address starting with https://")
NUMBER_INVALID = gettext_lazy("%(field)s: a number of 0 or more.")
YIELD_INVALID = gettext_lazy("Units per batch: at least 1.")
MARGIN_INVALID = gettext_lazy("Target margin: a percentage from 0 to below 100.")
PRICE_OR_MARGIN = gettext_lazy("Give a selling price or a target margin.")
MAX_PHOTOS = 3
CACHE_VERSION_KEY = "catalog:version"


def bump() -> None:
    """Every public page's cache key carries this number: raising it retires every cached page at once."""
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:
        cache.set(CACHE_VERSION_KEY, 2, None)


def version() -> int:
    value = cache.get(CACHE_VERSION_KEY)
    if value is None:
        cache.add(CACHE_VERSION_KEY, 1, None)
        value = cache.get(CACHE_VERSION_KEY) or 1
    return value


def businesses_changed(ids) -> None:
    """Registry follower: a business moved (its products' district) or closed (they leave the public pages)."""

    # A range of ids may take in businesses beside these: their products are set again to the same values.
    products = Product.objects.filter(among("business_id", sorted(ids)))
    if products.exists():
        village = Business.objects.filter(pk=OuterRef("business_id")).values("village_id")[:1]
        products.update(district_code=Substr(Subquery(village), 1, codes.CODE_LENGTH[codes.DISTRICT]))
        closed = Business.objects.filter(pk=OuterRef("business_id"), status=BusinessStatus.CLOSED)
        products.update(listed=False)
        products.filter(status=ProductStatus.PUBLISHED).exclude(Exists(closed)).update(listed=True)
        transaction.on_commit(bump)


def businesses_rebuilt() -> None:
    businesses_changed(Product.objects.values_list("business_id", flat=True).distinct())


can_curate = permissions.rule("curate")
may_manage = permissions.can_edit_business  # office staff in their area, or the business's own owner
_require = permissions.require


def _price(raw) -> int:
    try:
        price = parse_money(raw)
    except ParseError:
        price = None
    if price is None or price <= 0 or price > 2_000_000_000:
        raise ValidationError({"price": [str(PRICE_INVALID)]})
    return price


def product_save(
    *, actor: User, business: Business, data: Mapping, product: Product | None = None, photos: Sequence = ()
) -> Product:
    """Create or change a product. New products start as drafts: the office publishes them. Photos are decoded
    into their sizes first, outside the transaction that writes the product."""
    _require(may_manage(actor, business), NOT_YOURS)
    prepared, photo_errors = [], []
    if len(photos) <= MAX_PHOTOS:
        prepared, photo_errors = decode_all(photos, lambda p: renditions(p, large=1200, small=400))
    return _product_save(
        actor=actor,
        business=business,
        data=data,
        product=product,
        photos=photos,
        prepared=prepared,
        photo_errors=photo_errors,
    )


@transaction.atomic
def _product_save(*, actor, business, data, product, photos, prepared, photo_errors) -> Product:
    errors: dict = {}
    if photo_errors:
        errors["photos"] = photo_errors
    name = (data.get("name") or "").strip()[:120]
    if not name:
        errors["name"] = [str(NAME_REQUIRED)]
    category = Category.objects.filter(slug=data.get("category") or "").first()
    if category is None:
        errors["category"] = [str(CATEGORY_INVALID)]
    try:
        price = _price(data.get("price"))
    except ValidationError as err:
        errors.update(err.message_dict)
    weight = _safe_whole(data.get("weight_grams"))
    if weight is None and str(data.get("weight_grams") or "").strip():
        errors["weight_grams"] = [str(WEIGHT_INVALID)]
    existing = product.photos.count() if product else 0
    if photos and existing + len(photos) > MAX_PHOTOS:
        errors["photos"] = [str(TOO_MANY_PHOTOS) % {"n": MAX_PHOTOS}]
    if errors:
        raise ValidationError(errors)
    before = snapshot(product, Product.audited_fields) if product else None
    product = product or Product(business=business)
    product.name, product.category, product.price = name, category, price
    product.unit = (data.get("unit") or "").strip()[:40]
    product.description = (data.get("description") or "").strip()[:3000]
    product.weight_grams = weight
    product.save()
    for n, sizes in enumerate(prepared, start=existing):
        ProductPhoto.objects.create(product=product, order=n, **sizes)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=product,
        region_code=business.village_id,
        before=before,
        after=snapshot(product, Product.audited_fields),
    )
    transaction.on_commit(bump)
    return product


@transaction.atomic
def photo_delete(*, actor: User, photo: ProductPhoto) -> None:
    _require(may_manage(actor, photo.product.business), NOT_YOURS)
    photo.delete()
    transaction.on_commit(bump)


@transaction.atomic
def product_curate(
    *, actor: User, product: Product, status: str | None = None, featured: bool | None = None
) -> Product:
    _require(permissions.staff_covers(actor, product.business.village_id, "curate"), NOT_CURATOR)
    before = snapshot(product, ("status", "featured"))
    if status is not None:
        if status not in ProductStatus.values:
            raise ValidationError({"status": [_("Status: draft, published or hidden.")]})
        if status == ProductStatus.PUBLISHED and product.status != status:
            product.published_at = timezone.now()
        product.status = status
    if featured is not None:
        product.featured = featured
    product.save()
    audit_record(
        actor=actor,
        action=AuditAction.STATUS,
        obj=product,
        region_code=product.business.village_id,
        before=before,
        after=snapshot(product, ("status", "featured")),
    )
    transaction.on_commit(bump)
    return product


# The curator's moves on a product, by name: one URL each on the product and curation pages.
MOVES = {
    "publish": {"status": ProductStatus.PUBLISHED},
    "hide": {"status": ProductStatus.HIDDEN},
    "draft": {"status": ProductStatus.DRAFT},
    "feature": {"featured": True},
    "unfeature": {"featured": False},
}


def product_move(*, actor: User, product: Product, move: str) -> Product:
    """Publish, hide, send back to draft, feature or stop featuring (a key of MOVES; another is a 404)."""

    if move not in MOVES:
        raise Http404
    return product_curate(actor=actor, product=product, **MOVES[move])


@transaction.atomic
def shop_link_save(*, actor: User, business: Business, marketplace: str, url: str) -> ShopLink | None:
    """Set (or, with an empty address, remove) the business's shop on a marketplace."""
    _require(may_manage(actor, business), NOT_YOURS)
    if marketplace not in Marketplace.values:
        raise ValidationError({"marketplace": [_("Marketplace: choose one from the list.")]})
    url = (url or "").strip()
    if not url:
        ShopLink.objects.filter(business=business, marketplace=marketplace).delete()
        transaction.on_commit(bump)
        return None
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise ValidationError({"url": [str(URL_INVALID)]}) from None
    link, _created = ShopLink.objects.update_or_create(
        business=business, marketplace=marketplace, defaults={"url": url[:300]}
    )
    transaction.on_commit(bump)
    return link


def _count(product_id: int, field: str, day: date) -> None:
    updated = ProductDaily.objects.filter(product_id=product_id, day=day).update(**{field: F(field) + 1})
    if not updated:
        try:
            with transaction.atomic():
                ProductDaily.objects.create(product_id=product_id, day=day, **{field: 1})
        except IntegrityError:  # another request made today's row first
            ProductDaily.objects.filter(product_id=product_id, day=day).update(**{field: F(field) + 1})


def count_view(product: Product) -> None:
    _count(product.pk, "views", timezone.localdate())


def count_whatsapp(product: Product) -> None:
    _count(product.pk, "whatsapp", timezone.localdate())


def scenario_from(data: Mapping) -> costing.Scenario:
    """A calculator scenario from a form (line_name_N, line_qty_N, line_price_N, line_kind_N …)."""
    errors: dict = {}
    lines = []
    for n in range(1, 21):
        name = (data.get(f"line_name_{n}") or "").strip()
        if not name:
            continue
        try:
            quantity = Decimal(str(data.get(f"line_qty_{n}") or "0").replace(",", "."))
            if quantity < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors[f"line_qty_{n}"] = [str(NUMBER_INVALID) % {"field": name}]
            continue
        try:
            unit_price = parse_money(data.get(f"line_price_{n}")) or 0
        except ParseError:
            unit_price = -1
        if unit_price < 0:
            errors[f"line_price_{n}"] = [str(NUMBER_INVALID) % {"field": name}]
            continue
        kind = "kemasan" if data.get(f"line_kind_{n}") == "kemasan" else "bahan"
        lines.append(costing.Line(name[:80], quantity, unit_price, kind))

    def money(field, label):
        try:
            value = parse_money(data.get(field))
        except ParseError:
            value = -1
        if value is not None and value < 0:
            errors[field] = [str(NUMBER_INVALID) % {"field": label}]
            return 0
        return value or 0

    labour, overhead = money("labour", _("Labour per batch")), money("overhead", _("Overhead per batch"))
    fixed = money("fixed_per_month", _("Fixed costs per month"))
    price = money("price", _("Selling price")) or None
    yield_units = _safe_whole(data.get("yield_units"))
    if not yield_units:
        errors["yield_units"] = [str(YIELD_INVALID)]
    margin = None
    if str(data.get("target_margin") or "").strip():
        try:
            margin = Decimal(str(data.get("target_margin")).replace(",", "."))
            if not (0 <= margin < 100):
                raise InvalidOperation
        except InvalidOperation:
            errors["target_margin"] = [str(MARGIN_INVALID)]
    if price is None and margin is None and "target_margin" not in errors:
        errors["price"] = [str(PRICE_OR_MARGIN)]
    if errors:
        raise ValidationError(errors)
    return costing.Scenario(
        name=(data.get("name") or _("Scenario")).strip()[:120],
        lines=lines,
        labour=labour,
        overhead=overhead,
        yield_units=yield_units,
        price=price,
        target_margin=margin,
        units_per_month=_safe_whole(data.get("units_per_month")) or 0,
        fixed_per_month=fixed,
    )


def _safe_whole(raw) -> int | None:
    """A whole number as typed ("1.000" is a thousand), or None when empty or not one."""
    text = str(raw if raw is not None else "").strip().replace(".", "")
    return int(text) if text.isdigit() else None


def scenario_side(data: Mapping, side: str) -> dict:
    """One of the calculator's two forms: the fields prefixed "a-" or "b-", without the prefix."""
    prefix = f"{side}-"
    return {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)}


def scenarios_from(data: Mapping) -> tuple[dict, dict]:
    """The calculator's scenarios A and B from its form: ({side: Scenario}, {side: [reasons]}); a side left
    empty (no cost line and no price) is neither."""
    results, errors = {}, {}
    for side in ("a", "b"):
        values = scenario_side(data, side)
        if not any(v for k, v in values.items() if k.startswith("line_name_")) and not values.get("price"):
            continue
        try:
            results[side] = scenario_from(values)
        except ValidationError as err:
            errors[side] = [m for ms in err.message_dict.values() for m in ms]
    return results, errors


@transaction.atomic
def scenario_save(
    *, actor: User, business: Business, scenario: costing.Scenario, product: Product | None = None
) -> Scenario:
    _require(may_manage(actor, business), NOT_YOURS)
    if product is not None and product.business_id != business.pk:
        raise PermissionDenied(str(NOT_YOURS))
    return Scenario.objects.create(
        business=business,
        product=product,
        name=scenario.name,
        labour=scenario.labour,
        overhead=scenario.overhead,
        lines=[
            {"name": x.name, "quantity": str(x.quantity), "unit_price": x.unit_price, "kind": x.kind}
            for x in scenario.lines
        ],
        yield_units=scenario.yield_units,
        price=scenario.price,
        target_margin=scenario.target_margin,
        units_per_month=scenario.units_per_month,
        fixed_per_month=scenario.fixed_per_month,
        created_by=actor,
    )


def scenario_load(saved: Scenario) -> costing.Scenario:
    return costing.Scenario(
        name=saved.name,
        labour=saved.labour,
        overhead=saved.overhead,
        yield_units=saved.yield_units,
        lines=[
            costing.Line(x["name"], Decimal(x["quantity"]), int(x["unit_price"]), x.get("kind", "bahan"))
            for x in saved.lines
        ],
        price=saved.price,
        target_margin=saved.target_margin,
        units_per_month=saved.units_per_month,
        fixed_per_month=saved.fixed_per_month,
    )
