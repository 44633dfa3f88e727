"""Demo catalogue: products of Pesawaran's operating businesses, most published, some featured, with drawn
photos and a few marketplace shops."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from naikkelas.accounts.models import User
from naikkelas.catalog import services
from naikkelas.catalog.models import Product
from naikkelas.privacy.models import Consent, ConsentPurpose
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
# Each product is drawn (Pillow shapes, no files shipped): its package or itself, in its colours, its name on
# the label. (shape, main colour, second colour) by product name.
LOOKS = {
    "Keripik Pisang": ("pouch", (233, 180, 40), (120, 72, 40)),
    "Keripik Singkong Balado": ("pouch", (200, 50, 40), (250, 220, 120)),
    "Kerupuk Ikan": ("pouch", (40, 120, 190), (245, 235, 215)),
    "Ikan Asin Teri": ("pouch", (90, 140, 160), (230, 230, 220)),
    "Jahe Merah Instan": ("pouch", (170, 40, 40), (240, 200, 90)),
    "Kopi Robusta Lampung": ("pouch", (70, 45, 30), (200, 150, 90)),
    "Sambal Seruit": ("bottle", (190, 30, 30), (250, 240, 230)),
    "Madu Hutan": ("bottle", (214, 140, 20), (250, 240, 200)),
    "Sabun Kopi": ("bar", (110, 70, 45), (60, 35, 20)),
    "Bolu Pandan": ("cake", (90, 170, 70), (250, 240, 210)),
    "Lapis Legit": ("layers", (150, 85, 30), (240, 190, 90)),
    "Pisang Goreng Cokelat Keju": ("plate", (220, 160, 50), (90, 50, 30)),
    "Tapis Lampung (selendang)": ("cloth", (130, 20, 40), (230, 180, 60)),
    "Batik Sebagi": ("cloth", (40, 60, 120), (230, 200, 150)),
    "Anyaman Pandan": ("basket", (170, 140, 70), (110, 85, 40)),
}
SIZE = 600


def _pouch(draw, main, second):
    draw.rounded_rectangle((170, 140, 430, 520), radius=28, fill=main, outline=(40, 40, 40), width=4)
    for x in range(170, 430, 20):  # the sealed, zigzag top
        draw.polygon([(x, 140), (x + 10, 122), (x + 20, 140)], fill=main)
    draw.rounded_rectangle((200, 250, 400, 430), radius=16, fill=second)


def _bottle(draw, main, second):
    draw.rectangle((265, 110, 335, 160), fill=(50, 50, 50))  # the cap
    draw.rectangle((275, 160, 325, 220), fill=main)
    draw.rounded_rectangle((195, 210, 405, 530), radius=40, fill=main, outline=(40, 40, 40), width=4)
    draw.rectangle((205, 300, 395, 440), fill=second)


def _bar(draw, main, second):
    draw.rounded_rectangle((140, 230, 460, 420), radius=50, fill=main, outline=(40, 40, 40), width=4)
    for x, y in ((200, 280), (260, 330), (330, 290), (390, 350), (240, 380)):  # the ground coffee in it
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=second)


def _cake(draw, main, second):
    draw.ellipse((110, 420, 490, 500), fill=(230, 230, 230))  # the plate
    draw.rectangle((150, 300, 450, 460), fill=main)
    draw.ellipse((150, 260, 450, 340), fill=second)
    draw.ellipse((150, 420, 450, 500), fill=main)


def _layers(draw, main, second):
    draw.ellipse((110, 440, 490, 510), fill=(230, 230, 230))
    for i, y in enumerate(range(240, 460, 22)):
        draw.rectangle((170, y, 430, y + 22), fill=main if i % 2 else second)


def _plate(draw, main, second):
    draw.ellipse((90, 200, 510, 500), fill=(240, 240, 240), outline=(180, 180, 180), width=4)
    for x0, y0 in ((150, 280), (250, 330), (200, 390)):
        draw.ellipse((x0, y0, x0 + 200, y0 + 60), fill=main, outline=(150, 100, 30), width=3)
        draw.line((x0 + 30, y0 + 30, x0 + 170, y0 + 30), fill=second, width=8)  # the chocolate


def _cloth(draw, main, second):
    draw.polygon([(120, 140), (480, 160), (460, 500), (140, 480)], fill=main)
    for y in range(190, 470, 45):  # the woven motifs
        for x in range(170, 430, 52):
            draw.polygon([(x, y), (x + 16, y + 16), (x, y + 32), (x - 16, y + 16)], fill=second)


def _basket(draw, main, second):
    draw.polygon([(130, 260), (470, 260), (430, 500), (170, 500)], fill=main)
    for y in range(280, 500, 30):
        draw.line((140, y, 460, y), fill=second, width=6)
    for x in range(170, 440, 40):
        draw.line((x, 265, x + (300 - x) // 8, 495), fill=second, width=6)
    draw.arc((170, 120, 430, 400), 180, 360, fill=second, width=12)  # the handle


SHAPES = {
    "pouch": _pouch,
    "bottle": _bottle,
    "bar": _bar,
    "cake": _cake,
    "layers": _layers,
    "plate": _plate,
    "cloth": _cloth,
    "basket": _basket,
}


def drawing(name: str) -> Image.Image:
    """The product drawn on a soft background, its name written under it."""

    shape, main, second = LOOKS[name]
    background = tuple(min(255, 200 + c // 5) for c in main)
    img = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(img)
    draw.ellipse((60, 470, 540, 560), fill=tuple(max(0, c - 25) for c in background))  # its shadow
    SHAPES[shape](draw, main, second)
    font = ImageFont.load_default(size=34)
    text = name if len(name) <= 28 else name[:27] + "…"
    width = draw.textlength(text, font=font)
    draw.text(((SIZE - width) / 2, 40), text, fill=(40, 40, 40), font=font)
    return img


def _picture(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    drawing(name).save(out, "JPEG", quality=85)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _listed(rng: random.Random, admin: User, business: Business) -> Product:
    """A product of the business's own trade, named as it is sold (no generated suffix), with its drawing."""
    category, name, price, unit = rng.choice(ITEMS[business.sector])
    return services.product_save(
        actor=admin,
        business=business,
        photos=[_picture(name)],
        data={
            "name": name,
            "category": category,
            "price": str(price),
            "unit": unit,
            "description": f"{name} buatan {business.name}, {business.village.name}.",
        },
    )


@transaction.atomic
def demo_catalog(*, seed: int = 41, count: int = 60) -> int:
    """Returns the number of products made (0 when the demo already has them)."""
    admin = User.objects.filter(username="admin.pesawaran").first()
    if admin is None or Product.objects.filter(business__village__code__startswith="18.09.").exists():
        return 0
    rng = random.Random(seed)
    ids = list(
        Business.objects.filter(
            village__code__startswith="18.09.", status__in=["operating", "modern"], sector__in=list(ITEMS)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    seller = Business.objects.filter(owner__user__username="pemilik", sector__in=list(ITEMS)).first()
    chosen = [seller.pk] if seller else []
    others = [pk for pk in ids if pk not in chosen]  # the seller may be among them: a small demo has few
    chosen += rng.sample(others, max(0, min(len(others), count - len(chosen))))
    for business in Business.objects.filter(pk__in=chosen).select_related("owner", "village").order_by("pk"):
        product = _listed(rng, admin, business)
        if (
            seller is not None and business.pk == seller.pk
        ) or rng.random() < 0.85:  # the demo owner's is shown
            services.product_curate(
                actor=admin, product=product, status="tayang", featured=rng.random() < 0.15
            )
        if rng.random() < 0.3:
            services.shop_link_save(
                actor=admin,
                business=business,
                marketplace=rng.choice(["shopee", "tokopedia"]),
                url=f"https://shopee.co.id/umkm{business.pk}",
            )
    _contact_consents(admin, chosen)
    return len(chosen) + _lampung_selatan(rng)


def _contact_consents(admin, business_ids) -> None:
    """The demo's sellers signed the office's consent form: their WhatsApp number may be on the catalogue."""
    owners = set(Business.objects.filter(pk__in=business_ids).values_list("owner_id", flat=True))
    owners -= set(Consent.objects.filter(purpose=ConsentPurpose.CATALOGUE_CONTACT, withdrawn_at=None,
                                         person_id__in=owners).values_list("person_id", flat=True))  # fmt: skip
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            person_id=pk,
            purpose=ConsentPurpose.CATALOGUE_CONTACT,
            given_at=now,
            given_by=admin,
            how="formulir persetujuan bertanda tangan",
        )  # fmt: skip
        for pk in sorted(owners)
    )


def _lampung_selatan(rng: random.Random, count: int = 8) -> int:
    """A few products of Lampung Selatan, listed by its admin (most shown, one waiting for curation)."""
    admin = User.objects.filter(username="admin.lamsel").first()
    if admin is None:
        return 0
    businesses = list(
        Business.objects.filter(
            village__code__startswith="18.01.", status__in=["operating", "modern"], sector__in=list(ITEMS)
        )
        .select_related("village")
        .order_by("pk")[:count]
    )
    for n, business in enumerate(businesses):
        product = _listed(rng, admin, business)
        if n:
            services.product_curate(actor=admin, product=product, status="tayang", featured=False)
    _contact_consents(admin, [b.pk for b in businesses])
    return len(businesses)
