"""sitemap.xml: the catalogue's home, categories and published products (search engines find the products)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from naikkelas.catalog.models import Category
from naikkelas.catalog.selectors import public_products


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return public_products().select_related(None).only("pk", "slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("catalog:product", args=[item.pk, item.slug])

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return list(Category.objects.all())

    def location(self, item):
        return reverse("catalog:category", args=[item.slug])


class HomeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["catalog:home"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"home": HomeSitemap, "categories": CategorySitemap, "products": ProductSitemap}
