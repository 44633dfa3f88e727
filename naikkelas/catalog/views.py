"""Catalogue pages. Public (no login, cached, light): home, category, search, product, WhatsApp order, QR poster,
photos, sitemap. Signed in: an owner's products and shops, the office's curation, promotion figures, the
marketplace export, and the cost-and-price calculator."""

import json
from datetime import timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.catalog import costing, selectors, services
from naikkelas.catalog.models import Category, Marketplace, ProductPhoto, ProductStatus
from naikkelas.core import throttle
from naikkelas.core.exports import xlsx_response
from naikkelas.core.money import digits
from naikkelas.core.pdf import pdf_from_html
from naikkelas.core.phones import whatsapp_link
from naikkelas.core.uploads import local_path
from naikkelas.privacy.models import ConsentPurpose
from naikkelas.privacy.selectors import consent_in_force
from naikkelas.registry.selectors import business_get_for_user

CACHE_SECONDS = 600


def _cached(request: HttpRequest, name: str, build) -> HttpResponse:
    """A public page from the cache, keyed by the catalogue's version (bumped on every write), the language, the
    host and the query; built and stored on a miss."""
    key = _key(request, name)
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, CACHE_SECONDS)
    return _public(html)


def _public(html: str) -> HttpResponse:
    response = HttpResponse(html)
    response["Cache-Control"] = "public, max-age=60"
    return response


def _key(request: HttpRequest, name: str) -> str:
    return (
        f"catalog:{services.version()}:{get_language()}:{request.get_host()}:{name}:{request.GET.urlencode()}"
    )


def _page(request, template: str, context: dict) -> str:
    context = {"base_url": request.build_absolute_uri("/").rstrip("/"), "LANG": get_language(), **context}
    return render_to_string(template, context)


def home(request: HttpRequest) -> HttpResponse:
    def build():
        products = selectors.public_products()
        return _page(
            request,
            "catalog/home.html",
            {
                "featured": selectors.with_first_photo(products.filter(featured=True)[:8]),
                "latest": selectors.with_first_photo(products[:12]),
                "categories": Category.objects.all(),
            },
        )

    return _cached(request, "home", build)


def category(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Category, slug=slug)

    def build():
        products = selectors.public_products().filter(category=chosen)
        district = request.GET.get("kecamatan", "")
        if district:
            products = products.filter(district_code=district)
        page = Paginator(products, selectors.PAGE).get_page(request.GET.get("page"))
        page.object_list = selectors.with_first_photo(page.object_list)
        return _page(
            request,
            "catalog/list.html",
            {
                "category": chosen,
                "page": page,
                "district": district,
                "categories": Category.objects.all(),
                "districts": selectors.districts_with_products(chosen),
            },
        )

    return _cached(request, f"category:{slug}", build)


def search(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:80]

    def build():
        products = (
            selectors.search(selectors.public_products(), q) if q else selectors.public_products().none()
        )
        page = Paginator(products, selectors.PAGE).get_page(request.GET.get("page"))
        page.object_list = selectors.with_first_photo(page.object_list)
        return _page(
            request, "catalog/list.html", {"q": q, "page": page, "categories": Category.objects.all()}
        )

    return _cached(request, "search", build)


def _whatsapp_number(product) -> str:
    """The number buyers are sent to: the business's (for a micro business, usually the owner's own phone) or
    the owner's, and only while the owner consents to it being public (UU PDP Pasal 20; withdrawable)."""
    if not consent_in_force(product.business.owner_id, ConsentPurpose.CATALOGUE_CONTACT):
        return ""
    phone = product.business.phone or product.business.owner.phone
    return phone.lstrip("+") if phone else ""


def whatsapp_message(product, url: str) -> str:
    return _("Hello %(business)s, I would like to order %(product)s (Rp %(price)s). %(url)s") % {
        "business": product.business.name,
        "product": product.name,
        "price": digits(product.price),
        "url": url,
    }


def _json_ld(product, url: str, image: str | None, badges) -> str:
    data = {
        "@context": "https://schema.org", "@type": "Product", "name": product.name, "sku": str(product.pk),
        "description": product.description or product.name, "category": product.category.name, "url": url,
        "brand": {"@type": "Brand", "name": product.business.name},
        "offers": {"@type": "Offer", "price": str(product.price), "priceCurrency": "IDR",
                   "availability": "https://schema.org/InStock", "url": url,
                   "seller": {"@type": "Organization", "name": product.business.name}},
    }  # fmt: skip
    if image:
        data["image"] = [image]
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    # The cached page answers without touching the database: any write that could change it (the product, its
    # business closing, moving) raises the version in its key.
    html = cache.get(_key(request, f"product:{pk}:{slug}")) if slug else None
    if html is not None:
        return _public(html)
    item = selectors.public_product(pk)
    if slug != item.slug:
        return HttpResponseRedirect(reverse("catalog:product", args=[item.pk, item.slug]))

    def build():
        url = request.build_absolute_uri(reverse("catalog:product", args=[item.pk, item.slug]))
        photos = list(item.photos.all())
        image = (
            request.build_absolute_uri(reverse("catalog:photo", args=[photos[0].pk, "besar", "jpg"]))
            if photos
            else None
        )
        badges = selectors.product_badges(item, timezone.localdate())
        return _page(
            request,
            "catalog/product.html",
            {
                "product": item,
                "photos": photos,
                "url": url,
                "image": image,
                "badges": badges,
                "json_ld": _json_ld(item, url, image, badges),
                "shops": item.business.shop_links.all(),
                "village": item.business.village,
                "has_whatsapp": bool(_whatsapp_number(item)),
                "related": selectors.related_products(item),
            },
        )

    return _cached(request, f"product:{pk}:{slug}", build)


@csrf_exempt  # a counter with nothing personal in it; the page that sends it is cached and carries no token
@require_POST
def product_seen(request: HttpRequest, pk: int) -> HttpResponse:
    """One view per visitor per day (a visitor is a keyed hash kept a day in the cache, never a person)."""
    product = selectors.public_product(pk)
    if throttle.first_today(request, f"view:{product.pk}"):
        services.count_view(product)
    return HttpResponse(status=204)


def product_whatsapp(request: HttpRequest, pk: int) -> HttpResponse:
    """Count the click (no personal data) and send the buyer to WhatsApp with the order message filled in."""
    item = selectors.public_product(pk)
    number = _whatsapp_number(item)
    if not number:
        raise Http404
    if throttle.first_today(request, f"whatsapp:{item.pk}"):
        services.count_whatsapp(item)
    url = request.build_absolute_uri(reverse("catalog:product", args=[item.pk, item.slug]))
    return HttpResponseRedirect(whatsapp_link(number, whatsapp_message(item, url)))


def photo(request: HttpRequest, pk: int, size: str, ext: str) -> HttpResponse:
    picture = get_object_or_404(ProductPhoto.objects.select_related("product__business"), pk=pk)
    public = selectors.public_products().filter(pk=picture.product_id).exists()
    if not public and not (
        request.user.is_authenticated and services.may_manage(request.user, picture.product.business)
    ):
        raise Http404
    field = {
        ("besar", "webp"): "large_webp",
        ("besar", "jpg"): "large_jpeg",
        ("kecil", "webp"): "small_webp",
        ("kecil", "jpg"): "small_jpeg",
    }.get((size, ext))
    if field is None:
        raise Http404
    response = FileResponse(
        getattr(picture, field).open("rb"), content_type="image/webp" if ext == "webp" else "image/jpeg"
    )
    response["Cache-Control"] = "public, max-age=31536000, immutable" if public else "private, no-store"
    return response


def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """An A5 poster for the stall: photo, name, price and a QR code to the product page."""

    item = selectors.public_product(pk)
    url = request.build_absolute_uri(reverse("catalog:product", args=[item.pk, item.slug]))
    first = item.photos.first()
    html = render_to_string(
        "catalog/poster.html",
        {
            "product": item,
            "qr": segno.make(url, error="m").svg_data_uri(scale=6),
            "url": url,
            "photo_path": local_path(first.large_jpeg) if first else None,
        },
    )
    pdf = pdf_from_html(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{item.pk}.pdf"'
    return response


# ---- signed in ----


def _manageable(request, pk):
    business = business_get_for_user(user=request.user, pk=pk)
    if not services.may_manage(request.user, business):
        raise PermissionDenied(str(services.NOT_YOURS))
    return business


@require_http_methods(["GET", "POST"])
@login_required
def business_products(request: HttpRequest, pk: int) -> HttpResponse:
    business = _manageable(request, pk)
    errors: dict = {}
    if request.method == "POST":
        try:
            item = services.product_save(
                actor=request.user,
                business=business,
                data=request.POST,
                photos=request.FILES.getlist("photos"),
            )
        except ValidationError as err:
            errors = err.message_dict
        else:
            messages.success(request, _("Product saved as a draft: the office will publish it."))
            return redirect("catalog:product_edit", pk=item.pk)
    return _products_page(request, business, errors)


@require_POST
@login_required
def shop_link_save(request: HttpRequest, pk: int) -> HttpResponse:
    business = _manageable(request, pk)
    try:
        services.shop_link_save(actor=request.user, business=business, url=request.POST.get("url", ""),
                                marketplace=request.POST.get("marketplace", ""))  # fmt: skip
    except ValidationError as err:
        return _products_page(request, business, err.message_dict)
    messages.success(request, _("Shop saved."))
    return redirect("catalog:business_products", pk=business.pk)


def _products_page(request: HttpRequest, business, errors: dict) -> HttpResponse:
    return render(
        request,
        "catalog/business_products.html",
        {
            "business": business,
            "products": business.products.select_related("category"),
            "errors": errors,
            "data": request.POST,
            "categories": Category.objects.all(),
            "shops": business.shop_links.all(),
            "marketplaces": Marketplace.choices,
            "max_photos": services.MAX_PHOTOS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.product_get_for_user(user=request.user, pk=pk)
    if not services.may_manage(request.user, item.business):
        raise PermissionDenied(str(services.NOT_YOURS))
    errors: dict = {}
    if request.method == "POST":
        try:
            services.product_save(actor=request.user, business=item.business, product=item, data=request.POST,
                                  photos=request.FILES.getlist("photos"))  # fmt: skip
        except ValidationError as err:
            errors = err.message_dict
        else:
            messages.success(request, _("Saved."))
            return redirect("catalog:product_edit", pk=item.pk)
    item.refresh_from_db()
    return render(
        request,
        "catalog/product_edit.html",
        {
            "product": item,
            "errors": errors,
            "data": request.POST or None,
            "categories": Category.objects.all(),
            "photos": item.photos.all(),
            "can_curate": services.can_curate(request.user),
            "scenarios": item.scenarios.all(),
            "public": item.status == ProductStatus.PUBLISHED,
        },
    )


@login_required
def curation(request: HttpRequest) -> HttpResponse:
    if not services.can_curate(request.user):
        raise PermissionDenied(str(services.NOT_CURATOR))
    status = request.GET.get("status", ProductStatus.DRAFT)
    products = selectors.products_for(user=request.user).filter(status=status).order_by("-updated_at")
    page = Paginator(products, 50).get_page(request.GET.get("page"))
    return render(
        request, "catalog/curation.html", {"page": page, "status": status, "statuses": ProductStatus.choices}
    )


@require_POST
@login_required
def product_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """One URL per curator's move (publish, hide, draft, feature, unfeature); back to the page it came from."""
    item = selectors.product_get_for_user(user=request.user, pk=pk)
    services.product_move(actor=request.user, product=item, move=move)
    messages.success(request, _("Saved."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("catalog:product_edit", pk=item.pk)


@require_POST
@login_required
def photo_delete(request: HttpRequest, pk: int, photo: int) -> HttpResponse:
    item = selectors.product_get_for_user(user=request.user, pk=pk)
    services.photo_delete(actor=request.user, photo=get_object_or_404(item.photos, pk=photo))
    messages.success(request, _("Saved."))
    return redirect("catalog:product_edit", pk=item.pk)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not services.can_curate(request.user):
        raise PermissionDenied(str(services.NOT_CURATOR))
    until = timezone.localdate()
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() else 30
    since = until - timedelta(days=max(1, min(days, 366)) - 1)
    data = selectors.promotion_figures(user=request.user, since=since, until=until)
    return render(
        request, "catalog/figures.html", {"data": data, "since": since, "until": until, "days": days}
    )


# Shopee's "Mass Upload" basic template (Seller Centre → Produk → Tambah Produk Massal), the columns a seller fills
# by hand. Its exact template changes with the category; this file fills the common columns, in this order, and
# the seller pastes them into the template downloaded for their category (see README, Marketplace export).
SHOPEE_COLUMNS = [
    "Kategori",
    "Nama Produk",
    "Deskripsi Produk",
    "SKU Induk",
    "Harga",
    "Stok",
    "Berat (gram)",
    "Foto Sampul",
    "Foto Produk 1",
    "Foto Produk 2",
]


@login_required
def marketplace_export(request: HttpRequest) -> HttpResponse:
    products = (
        selectors.products_for(user=request.user)
        .filter(status=ProductStatus.PUBLISHED)
        .prefetch_related("photos")
    )
    business = request.GET.get("business", "")
    if business.isdigit():
        products = products.filter(business_id=int(business))
    rows = []
    for item in products.order_by("business_id", "name")[:10_000]:
        urls = [
            request.build_absolute_uri(reverse("catalog:photo", args=[p.pk, "besar", "jpg"]))
            for p in item.photos.all()
        ]
        rows.append(
            [
                item.category.name,
                item.name[:120],
                item.description or item.name,
                f"NK-{item.pk}",
                item.price,
                1,
                item.weight_grams or "",
                *(urls + ["", "", ""])[:3],
            ]
        )
    return xlsx_response("shopee-mass-upload.xlsx", SHOPEE_COLUMNS, rows)


EXAMPLE = {  # the Pesawaran office's own example: a plain fried banana, and one with a topping in a box
    "a": {"name": "Pisang goreng biasa", "yield_units": "50", "labour": "10.000", "overhead": "6.000", "price": "1.000",
          "units_per_month": "1000", "fixed_per_month": "0",
          "lines": [("Pisang kepok", "50", "300", "bahan"), ("Tepung terigu (kg)", "0,5", "12.000", "bahan"),
                    ("Minyak goreng (liter)", "0,5", "16.000", "bahan"), ("Plastik", "50", "50", "kemasan")]},
    "b": {"name": "Pisang goreng cokelat keju, kotak", "yield_units": "50", "labour": "10.000", "overhead": "6.000",
          "price": "5.000", "units_per_month": "1000", "fixed_per_month": "0",
          "lines": [("Pisang kepok", "50", "300", "bahan"), ("Tepung terigu (kg)", "0,5", "12.000", "bahan"),
                    ("Minyak goreng (liter)", "0,5", "16.000", "bahan"), ("Meses cokelat (kg)", "0,25", "40.000", "bahan"),
                    ("Keju parut (blok)", "1", "20.000", "bahan"), ("Kotak kertas", "50", "1.000", "kemasan")]},
}  # fmt: skip
LINES = 8


def _example_post() -> dict:
    data = {}
    for side, values in EXAMPLE.items():
        for key, value in values.items():
            if key != "lines":
                data[f"{side}-{key}"] = value
        for n, (name, qty, price, kind) in enumerate(values["lines"], start=1):
            data |= {
                f"{side}-line_name_{n}": name,
                f"{side}-line_qty_{n}": qty,
                f"{side}-line_price_{n}": price,
                f"{side}-line_kind_{n}": kind,
            }
    return data


def _sides(data, results: dict, errors: dict) -> list[dict]:
    """The two scenario forms as the page shows them: their typed values, LINES cost lines, result or errors."""
    sides = []
    for side, title in (("a", _("Scenario A")), ("b", _("Scenario B"))):
        values = services.scenario_side(data, side)
        lines = [{"n": n, "name": values.get(f"line_name_{n}", ""), "qty": values.get(f"line_qty_{n}", ""),
                  "price": values.get(f"line_price_{n}", ""), "kind": values.get(f"line_kind_{n}", "bahan")}
                 for n in range(1, LINES + 1)]  # fmt: skip
        sides.append({"key": side, "title": title, "values": values, "lines": lines, "result": results.get(side),
                      "errors": errors.get(side, [])})  # fmt: skip
    return sides


@require_http_methods(["GET", "POST"])
@login_required
def calculator(request: HttpRequest, pk: int) -> HttpResponse:
    business = _manageable(request, pk)
    data = (
        request.POST if request.method == "POST" else (_example_post() if request.GET.get("contoh") else {})
    )
    results, errors = services.scenarios_from(data)
    side = request.POST.get("save") if request.method == "POST" else None
    if side in results:
        product_id = request.POST.get(f"{side}-product") or ""
        product = business.products.filter(pk=int(product_id)).first() if product_id.isdigit() else None
        services.scenario_save(actor=request.user, business=business, scenario=results[side], product=product)
        messages.success(request, _("Scenario saved."))
        return redirect("catalog:calculator", pk=business.pk)
    comparison = costing.Comparison(results["a"], results["b"]) if {"a", "b"} <= set(results) else None
    sides = _sides(data, results, errors)
    return render(
        request,
        "catalog/calculator.html",
        {
            "business": business,
            "sides": sides,
            "comparison": comparison,
            "products": business.products.all(),
            "saved": business.cost_scenarios.select_related("product")[:20],
        },
    )
