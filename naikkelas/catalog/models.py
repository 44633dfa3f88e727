"""The public product catalogue (products, photos, marketplace shops, counts of views and WhatsApp clicks) and
the owners' saved cost-and-price scenarios."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from naikkelas.regions import codes
from naikkelas.registry.constants import BusinessStatus


class Category(models.Model):
    slug = models.SlugField(unique=True, max_length=40)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    DRAFT = "draf", _("Draft")
    PUBLISHED = "tayang", _("Published")
    HIDDEN = "disembunyikan", _("Hidden")


LISTED = Q(listed=True)


class Product(models.Model):
    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"
    audited_fields = (
        "name",
        "category",
        "price",
        "unit",
        "description",
        "status",
        "featured",
        "weight_grams",
    )

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=120)
    slug = models.SlugField(max_length=120, allow_unicode=False, editable=False)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    price = models.PositiveIntegerField(_("price (Rp)"))
    unit = models.CharField(_("per"), max_length=40, blank=True, help_text=_("e.g. pcs, pack 250 g, box"))
    description = models.TextField(_("description"), blank=True)
    weight_grams = models.PositiveIntegerField(_("weight for shipping (g)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    featured = models.BooleanField(_("featured"), default=False)
    # Denormalised from the business for the public lists, filtered and ordered without joins: where it is, and
    # whether anyone may see it (published, and the business not closed). Kept by save() and, when a business
    # changes, by the registry follower services.businesses_changed.
    district_code = models.CharField(max_length=8, db_index=True, editable=False)
    listed = models.BooleanField(default=False, editable=False)
    search_text = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        # Partial indexes over the listed products: both databases use them for "WHERE listed ORDER BY
        # published_at DESC" (a boolean column as the leading key is not an equality SQLite can seek on).
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="product_public_recent", condition=LISTED),
            models.Index(
                fields=["category", "-published_at", "-id"], name="product_category_recent", condition=LISTED
            ),
            models.Index(
                fields=["category", "district_code", "-published_at", "-id"],
                name="product_district_recent",
                condition=LISTED,
            ),
            models.Index(
                fields=["-published_at", "-id"], name="product_featured", condition=LISTED & Q(featured=True)
            ),
        ]
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = slugify(self.name)[:120] or "produk"
        self.district_code = codes.district_of(self.business.village_id)
        self.listed = self.status == ProductStatus.PUBLISHED and self.business.status != BusinessStatus.CLOSED
        self.search_text = f"{self.name} {self.business.name} {self.description[:300]}".lower()
        super().save(*args, **kwargs)

    @property
    def public_url(self) -> str:
        return f"/katalog/produk/{self.pk}-{self.slug}/"


class ProductPhoto(models.Model):
    """One photo in the sizes the catalogue serves: WebP with a JPEG fallback, small (list) and large (page)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    order = models.PositiveSmallIntegerField(default=0)
    large_webp = models.ImageField(upload_to="catalog/%Y/%m/")
    large_jpeg = models.ImageField(upload_to="catalog/%Y/%m/")
    small_webp = models.ImageField(upload_to="catalog/%Y/%m/")
    small_jpeg = models.ImageField(upload_to="catalog/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.large_jpeg.name

    # The lists show dozens of photos: their addresses are formatted here rather than reversed one by one
    # (the pattern is catalog:photo in catalog/urls.py; tests/catalog check that both agree).
    def url(self, size: str, ext: str) -> str:
        return f"/katalog/foto/{self.pk}/{size}.{ext}"

    @property
    def small_webp_url(self) -> str:
        return self.url("kecil", "webp")

    @property
    def small_jpeg_url(self) -> str:
        return self.url("kecil", "jpg")


class Marketplace(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    TIKTOK = "tiktok", "TikTok Shop"
    LAZADA = "lazada", "Lazada"
    BUKALAPAK = "bukalapak", "Bukalapak"
    BLIBLI = "blibli", "Blibli"
    OTHER = "lain", _("Other")


class ShopLink(models.Model):
    """The business's shop on a marketplace."""

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="shop_links")
    marketplace = models.CharField(_("marketplace"), max_length=12, choices=Marketplace.choices)
    url = models.URLField(_("shop address"), max_length=300)

    class Meta:
        verbose_name = _("online shop link")
        verbose_name_plural = _("online shop links")
        ordering = ["marketplace"]
        constraints = [
            models.UniqueConstraint(fields=["business", "marketplace"], name="shop_once_per_marketplace")
        ]

    def __str__(self) -> str:
        return f"{self.get_marketplace_display()} {self.url}"


class ProductDaily(models.Model):
    """Page views and WhatsApp clicks of a product per day: counts only, nothing about who."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="daily")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    whatsapp = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily product count")
        verbose_name_plural = _("daily product counts")
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="product_daily_once")]

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}"


class Scenario(models.Model):
    """A saved cost-and-price scenario (see catalog.costing), optionally tied to a product."""

    scope_region_field = "business__village__code"
    scope_owner_field = "business__owner__user"

    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="cost_scenarios")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios"
    )
    name = models.CharField(_("scenario"), max_length=120)
    lines = models.JSONField(default=list)  # [{"name", "quantity", "unit_price", "kind"}]
    labour = models.PositiveIntegerField(_("labour per batch (Rp)"), default=0)
    overhead = models.PositiveIntegerField(_("overhead per batch (Rp)"), default=0)
    yield_units = models.PositiveIntegerField(_("units per batch"), default=1)
    price = models.PositiveIntegerField(_("selling price (Rp)"), null=True, blank=True)
    target_margin = models.DecimalField(
        _("target margin (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    units_per_month = models.PositiveIntegerField(_("units sold per month"), default=0)
    fixed_per_month = models.PositiveIntegerField(_("fixed costs per month (Rp)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cost calculation")
        verbose_name_plural = _("cost calculations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
