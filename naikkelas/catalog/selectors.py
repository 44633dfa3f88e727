"""Every catalogue read: the public lists (published products of businesses that still run), the products a user
manages, and the promotion figures for the office."""

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from naikkelas.accounts.scope import scoped
from naikkelas.catalog.models import Product, ProductDaily, ProductPhoto, ProductStatus
from naikkelas.regions.models import Region
from naikkelas.registry.constants import BusinessStatus, DocumentKind

PAGE = 24


def public_products() -> QuerySet[Product]:
    """What anyone may see: published, and the business not closed (a closed business leaves the catalogue)."""
    # an owner who asked that their data be restricted (UU 27/2022 Pasal 11) is not published
    return Product.objects.filter(listed=True, business__owner__restricted_at=None).select_related("category")


def public_product(pk: int) -> Product:
    return get_object_or_404(
        public_products()
        .select_related("business__village", "business__owner")
        .prefetch_related("photos", "business__shop_links", "business__documents"),
        pk=pk,
    )


def with_first_photo(products) -> list[Product]:
    """Attach each product's first photo (one query for the page)."""

    products = list(products)
    photos = {}
    for photo in ProductPhoto.objects.filter(product__in=products).order_by("product_id", "order", "id"):
        photos.setdefault(photo.product_id, photo)
    for product in products:
        product.first_photo = photos.get(product.pk)
    return products


def search(products: QuerySet[Product], q: str) -> QuerySet[Product]:
    for word in q.lower().split()[:5]:
        products = products.filter(search_text__contains=word)
    return products


def districts_with_products(category=None) -> list[Region]:
    qs = public_products()
    if category is not None:
        qs = qs.filter(category=category)
    codes = qs.order_by().values_list("district_code", flat=True).distinct()
    return list(Region.objects.filter(code__in=list(codes)).order_by("name"))


def products_for(*, user) -> QuerySet[Product]:
    return scoped(Product.objects.select_related("business", "category"), user)


def product_get_for_user(*, user, pk) -> Product:
    return get_object_or_404(products_for(user=user), pk=pk)


def promotion_figures(*, user, since, until) -> dict:
    """Published products per district and per business, and views and WhatsApp clicks per product."""
    mine = products_for(user=user)
    published = mine.filter(listed=True)
    by_district = list(published.values("district_code").annotate(n=Count("id")).order_by("-n"))
    names = dict(
        Region.objects.filter(code__in=[r["district_code"] for r in by_district]).values_list("code", "name")
    )
    for row in by_district:
        row["name"] = names.get(row["district_code"], row["district_code"])
    by_business = list(
        published.values("business_id", "business__name").annotate(n=Count("id")).order_by("-n")[:50]
    )
    counts = (
        ProductDaily.objects.filter(product__in=mine, day__gte=since, day__lte=until)
        .values("product_id", "product__name", "product__business__name")
        .annotate(views=Sum("views"), whatsapp=Sum("whatsapp"))
        .order_by("-views")[:100]
    )
    totals = ProductDaily.objects.filter(product__in=mine, day__gte=since, day__lte=until).aggregate(
        views=Sum("views"), whatsapp=Sum("whatsapp")
    )
    return {
        "by_district": by_district,
        "by_business": by_business,
        "products": list(counts),
        "totals": {k: v or 0 for k, v in totals.items()},
        "published": published.count(),
        "drafts": mine.filter(status=ProductStatus.DRAFT).count(),
        "hidden": mine.filter(
            Q(status=ProductStatus.HIDDEN) | Q(business__status=BusinessStatus.CLOSED)
        ).count(),
    }


# Certificates a buyer trusts, shown on the product page while valid.
BADGES = (DocumentKind.HALAL, DocumentKind.PIRT, DocumentKind.BPOM)


def product_badges(item, today) -> list[str]:
    """The names of the business's halal, PIRT and BPOM documents valid today."""
    documents = item.business.documents.all()
    return sorted({d.get_kind_display() for d in documents if d.kind in BADGES and d.is_valid_on(today)})


def related_products(item, n: int = 4):
    """Published products of the same category, the product itself left out, with their first photo."""
    return with_first_photo(public_products().filter(category=item.category).exclude(pk=item.pk)[:n])
