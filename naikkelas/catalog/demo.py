"""Demo catalogue: products of Pesawaran's operating businesses, most published, some featured, with simple
generated photos and a few marketplace shops."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from naikkelas.accounts.models import User
from naikkelas.catalog import services
from naikkelas.catalog.models import Product
from naikkelas.registry.models import Business

# What a business of each sector (as registry.demo names them) sells: (category, product, price, unit). Sectors
# without goods to list (shops, workshops) sell nothing here.
ITEMS = {
    "Makanan olahan": [("camilan", "Keripik Pisang", 12_000, "pack 250 g"),
                       ("camilan", "Keripik Singkong Balado", 10_000, "pack 200 g"),
                       ("camilan", "Kerupuk Ikan", 15_000, "pack 250 g"), ("makanan", "Sambal Seruit", 25_000, "botol 200 ml")],
    "Kopi dan kakao": [("minuman", "Kopi Robusta Lampung", 35_000, "250 g"), ("kecantikan", "Sabun Kopi", 18_000, "batang")],
    "Kue dan roti": [("makanan", "Bolu Pandan", 45_000, "loyang"), ("makanan", "Lapis Legit", 120_000, "loyang")],
    "Warung makan": [("makanan", "Pisang Goreng Cokelat Keju", 5_000, "buah"), ("makanan", "Sambal Seruit", 25_000, "botol 200 ml")],
    "Perikanan": [("camilan", "Kerupuk Ikan", 15_000, "pack 250 g"), ("makanan", "Ikan Asin Teri", 30_000, "pack 250 g")],
    "Kerajinan": [("kerajinan", "Tapis Lampung (selendang)", 350_000, "lembar"), ("kerajinan", "Anyaman Pandan", 45_000, "buah")],
    "Pakaian jadi": [("fesyen", "Batik Sebagi", 175_000, "lembar")],
    "Pertanian": [("pertanian", "Madu Hutan", 90_000, "botol 500 ml"), ("minuman", "Jahe Merah Instan", 20_000, "pack")],
}  # fmt: skip
COLOURS = [(214, 158, 46), (120, 72, 40), (46, 125, 50), (192, 57, 43), (41, 98, 255), (142, 68, 173)]


def _picture(rng, label: str) -> SimpleUploadedFile:
    img = Image.new("RGB", (600, 600), rng.choice(COLOURS))
    draw = ImageDraw.Draw(img)
    draw.ellipse((150, 120, 450, 420), fill=(255, 255, 255))
    draw.text((40, 520), label[:40], fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def demo_catalog(*, seed: int = 41, count: int = 60) -> int:
    """Returns the number of products made (0 when the demo already has them)."""
    admin = User.objects.filter(username="admin.pesawaran").first()
    if admin is None or Product.objects.filter(business__village__code__startswith="18.09.").exists():
        return 0
    rng = random.Random(seed)
    ids = list(Business.objects.filter(village__code__startswith="18.09.", status__in=["operating", "modern"],
                                       sector__in=list(ITEMS)).order_by("pk").values_list("pk", flat=True)[:2000])  # fmt: skip
    seller = Business.objects.filter(owner__user__username="pemilik", sector__in=list(ITEMS)).first()
    chosen = [seller.pk] if seller else []
    chosen += rng.sample([pk for pk in ids if pk not in chosen], min(len(ids), count - len(chosen)))
    for business in Business.objects.filter(pk__in=chosen).select_related("owner", "village").order_by("pk"):
        # A product of the business's own trade, named as it is sold (no generated suffix).
        category, name, price, unit = rng.choice(ITEMS[business.sector])
        product = services.product_save(actor=admin, business=business, photos=[_picture(rng, name)], data={
            "name": name, "category": category, "price": str(price), "unit": unit,
            "description": f"{name} buatan {business.name}, {business.village.name}."})  # fmt: skip
        if (
            seller is not None and business.pk == seller.pk
        ) or rng.random() < 0.85:  # the demo owner's is shown
            services.product_curate(
                actor=admin, product=product, status="tayang", featured=rng.random() < 0.15
            )
        if rng.random() < 0.3:
            services.shop_link_save(actor=admin, business=business, marketplace=rng.choice(["shopee", "tokopedia"]),
                                    url=f"https://shopee.co.id/umkm{business.pk}")  # fmt: skip
    return len(chosen)
