"""The public catalogue and its management: an owner adds a product with a photo, the office publishes and
features it, buyers find it, order on WhatsApp and share it; closed businesses and hidden products leave;
cached pages follow every edit; the office counts views and clicks and exports for a marketplace.

owner owns Keripik Pisang Bu Siti (Gedong Tataan); petugas curates Gedong Tataan; admin_lamsel sees none of it."""

import io
import json
import re
from datetime import date
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from python_calamine import CalamineWorkbook

from naikkelas.catalog import services
from naikkelas.catalog.models import Product, ProductDaily, Scenario
from naikkelas.catalog.views import SHOPEE_COLUMNS
from naikkelas.privacy.models import Consent
from naikkelas.privacy.services import consent_give
from naikkelas.registry.models import LegalDocument

pytestmark = pytest.mark.django_db


def jpeg(width=2400, height=1600, color=(200, 150, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return SimpleUploadedFile("pisang.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def seller(businesses, personas):
    business = businesses["gedong"]
    business.phone = "+6281234567890"
    business.save()
    # The owner agreed to their WhatsApp number on the public catalogue (without it, no order button).
    consent_give(actor=personas["owner"], person=business.owner, purpose="catalogue_contact")
    return business


def add(personas, business, who="owner", **data):
    values = {
        "name": "Keripik Pisang Cokelat",
        "category": "camilan",
        "price": "Rp 15.000",
        "unit": "pack 250 g",
        "description": "Keripik pisang kepok dengan cokelat.",
        "weight_grams": "250",
    } | data
    return services.product_save(actor=personas[who], business=business, data=values, photos=[jpeg()])


def test_an_owner_adds_a_draft_with_a_photo_in_every_size(personas, seller):
    from django.urls import reverse

    product = add(personas, seller)
    # The lists format these addresses themselves: they must be what the URL patterns say.
    assert product.public_url == reverse("catalog:product", args=[product.pk, product.slug])
    assert product.status == "draf" and product.price == 15_000 and product.district_code == "18.09.01"
    photo = product.photos.get()
    assert photo.small_webp_url == reverse("catalog:photo", args=[photo.pk, "kecil", "webp"])
    assert photo.small_jpeg_url == reverse("catalog:photo", args=[photo.pk, "kecil", "jpg"])
    assert (photo.width, photo.height) == (1200, 800)
    assert Image.open(photo.small_webp).format == "WEBP" and Image.open(photo.small_jpeg).size == (400, 267)
    assert Client().get(f"/katalog/produk/{product.pk}/").status_code == 404  # not public until published
    owner = Client()
    owner.force_login(personas["owner"])
    assert owner.get(f"/katalog/foto/{photo.pk}/kecil.jpg").status_code == 200  # the owner sees their draft
    assert Client().get(f"/katalog/foto/{photo.pk}/kecil.jpg").status_code == 404


def test_it_refuses_bad_products_with_reasons(personas, seller, businesses):
    with pytest.raises(ValidationError) as err:
        services.product_save(
            actor=personas["owner"],
            business=seller,
            data={"name": "", "category": "x", "price": "gratis", "weight_grams": "1/4 kg"},
        )
    assert set(err.value.message_dict) == {"name", "category", "price", "weight_grams"}
    not_a_photo = SimpleUploadedFile("foto.jpg", b"%PDF-1.4", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.product_save(
            actor=personas["owner"],
            business=seller,
            photos=[not_a_photo],
            data={"name": "A", "category": "camilan", "price": "1000"},
        )
    product = add(personas, seller)
    with pytest.raises(ValidationError):  # 1 + 3 > 3
        services.product_save(
            actor=personas["owner"],
            business=seller,
            product=product,
            data={"name": "A", "category": "camilan", "price": "1000"},
            photos=[jpeg()] * 3,
        )
    with pytest.raises(PermissionDenied):
        add(personas, businesses["pesawaran_other"])  # not the owner's
    with pytest.raises(PermissionDenied):
        add(personas, seller, who="admin_lamsel")
    with pytest.raises(PermissionDenied):  # owners do not publish
        services.product_curate(actor=personas["owner"], product=product, status="tayang")
    assert Product.objects.count() == 1


def published(personas, seller, **data):
    product = add(personas, seller, **data)
    return services.product_curate(actor=personas["petugas"], product=product, status="tayang")


def test_buyers_find_a_published_product_and_order_it_on_whatsapp(personas, seller):
    LegalDocument.objects.create(
        business=seller, kind="halal", number="ID31110000123", issued_on=date(2024, 1, 1)
    )
    LegalDocument.objects.create(
        business=seller,
        kind="pirt",
        number="2061809010123-27",
        issued_on=date(2020, 1, 1),
        expires_on=date(2025, 1, 1),
    )  # expired: no badge
    product = published(personas, seller)
    services.shop_link_save(
        actor=personas["owner"],
        business=seller,
        marketplace="shopee",
        url="https://shopee.co.id/keripikbusiti",
    )
    buyer = Client()
    assert "Keripik Pisang Cokelat" in buyer.get("/katalog/").content.decode()
    assert (
        "Keripik Pisang Cokelat"
        in buyer.get("/katalog/kategori/camilan/?kecamatan=18.09.01").content.decode()
    )
    assert (
        "Keripik Pisang Cokelat"
        not in buyer.get("/katalog/kategori/camilan/?kecamatan=18.09.02").content.decode()
    )
    assert "Keripik Pisang Cokelat" in buyer.get("/katalog/cari/?q=pisang+cokelat").content.decode()
    assert "Keripik Pisang Cokelat" not in buyer.get("/katalog/cari/?q=kopi").content.decode()
    short = buyer.get(f"/katalog/produk/{product.pk}/")
    assert short.status_code == 302 and short.url.endswith(
        f"/katalog/produk/{product.pk}-keripik-pisang-cokelat/"
    )
    page = buyer.get(short.url).content.decode()
    assert 'property="og:title"' in page and 'property="og:image"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert (
        data["@type"] == "Product"
        and data["offers"]["price"] == "15000"
        and data["offers"]["priceCurrency"] == "IDR"
    )
    assert data["brand"]["name"] == "Keripik Pisang Bu Siti" and data["image"][0].endswith(".jpg")
    badges = re.search(r'id="badges">(.*?)</p>', page, re.S).group(1)
    assert "Halal" in badges and "PIRT" not in badges
    assert "https://shopee.co.id/keripikbusiti" in page and "image/webp" in page
    order = buyer.get(f"/katalog/produk/{product.pk}/wa/")
    target = urlparse(order.url)
    assert (target.netloc, target.path) == ("wa.me", "/6281234567890")
    text = unquote(parse_qs(target.query)["text"][0])
    assert "Keripik Pisang Cokelat" in text and "15.000" in text and f"/katalog/produk/{product.pk}-" in text
    assert buyer.post(f"/katalog/produk/{product.pk}/dilihat/").status_code == 204
    day = ProductDaily.objects.get(product=product)
    assert (day.views, day.whatsapp) == (1, 1)
    sitemap = buyer.get("/sitemap.xml").content.decode()
    assert (
        f"/katalog/produk/{product.pk}-keripik-pisang-cokelat/" in sitemap
        and "/katalog/kategori/camilan/" in sitemap
    )
    poster = buyer.get(f"/katalog/produk/{product.pk}/poster.pdf")
    assert poster["Content-Type"] == "application/pdf" and poster.content.startswith(b"%PDF")


def test_a_withdrawn_consent_takes_the_owners_number_off_the_public_pages_at_once(
    personas, seller, django_capture_on_commit_callbacks
):
    product = published(personas, seller)
    buyer = Client()
    url = f"/katalog/produk/{product.pk}-keripik-pisang-cokelat/"
    assert 'id="order"' in buyer.get(url).content.decode()  # now cached
    owner = Client()
    owner.force_login(personas["owner"])
    assert "Kontak di katalog publik" in owner.get("/privasi/data-saya/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            "/privasi/data-saya/persetujuan/", {"purpose": "catalogue_contact", "give": "0"}
        )
    assert response.status_code == 302
    page = buyer.get(url).content.decode()
    assert 'id="order"' not in page and "6281234567890" not in page
    assert buyer.get(f"/katalog/produk/{product.pk}/wa/").status_code == 404
    assert "persetujuan" in owner.get("/privasi/data-saya/").content.decode().lower()
    withdrawn = Consent.objects.get(person=seller.owner)
    assert withdrawn.withdrawn_at is not None and withdrawn.given_by == personas["owner"]
    # Another person cannot withdraw (or give) it for them; an officer of their office may record it.
    with pytest.raises(PermissionDenied):
        consent_give(actor=personas["admin_lamsel"], person=seller.owner, purpose="catalogue_contact")
    with django_capture_on_commit_callbacks(execute=True):
        consent_give(
            actor=personas["petugas"], person=seller.owner, purpose="catalogue_contact", how="formulir"
        )
    assert 'id="order"' in buyer.get(url).content.decode()
    with pytest.raises(ValidationError):
        consent_give(actor=personas["owner"], person=seller.owner, purpose="semua")


def test_cached_pages_follow_every_edit(personas, seller, django_capture_on_commit_callbacks):
    product = published(personas, seller)
    buyer = Client()
    url = f"/katalog/produk/{product.pk}-keripik-pisang-cokelat/"
    assert "Rp15.000" in buyer.get(url).content.decode().replace("\xa0", "").replace(" ", "")
    # The cache version is raised when the write commits (a page built from the old rows before the commit
    # cannot be stored under the new version); here the test's transaction stands in for the commit.
    with django_capture_on_commit_callbacks(execute=True):
        services.product_save(
            actor=personas["owner"],
            business=seller,
            product=product,
            data={"name": "Keripik Pisang Cokelat", "category": "camilan", "price": "17.500"},
        )
    assert "Rp17.500" in buyer.get(url).content.decode().replace("\xa0", "").replace(" ", "")
    assert "Keripik Pisang Cokelat" in buyer.get("/katalog/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_curate(actor=personas["admin_pesawaran"], product=product, status="disembunyikan")
    assert buyer.get(url).status_code == 404
    assert "Keripik Pisang Cokelat" not in buyer.get("/katalog/").content.decode()


def test_a_product_of_a_closed_business_leaves_the_catalogue(
    personas, seller, villages, django_capture_on_commit_callbacks
):
    product = published(personas, seller)
    from naikkelas.registry import services as registry

    buyer = Client()
    assert buyer.get(f"/katalog/produk/{product.pk}/").status_code == 302  # seen, and cached
    assert "Keripik Pisang Cokelat" in buyer.get("/katalog/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the business moves to another district
        registry.business_update(
            actor=personas["admin_pesawaran"],
            business=seller,
            data={"village": villages["pesawaran_other"].code},
        )
    product.refresh_from_db()
    assert product.district_code == "18.09.02"
    with django_capture_on_commit_callbacks(execute=True):
        registry.business_set_status(
            actor=personas["admin_pesawaran"], business=seller, status="closed", note="Tutup"
        )
    assert buyer.get(f"/katalog/produk/{product.pk}/").status_code == 404
    assert "Keripik Pisang Cokelat" not in buyer.get("/katalog/").content.decode()
    assert "/katalog/produk/" not in buyer.get("/sitemap.xml").content.decode()


def test_the_office_features_counts_and_exports(personas, seller):
    product = published(personas, seller)
    services.product_curate(actor=personas["petugas"], product=product, featured=True)
    home = Client().get("/katalog/").content.decode()
    assert 'id="featured"' in home
    for _n in range(3):
        services.count_view(product)
    services.count_whatsapp(product)
    office = Client()
    office.force_login(personas["admin_pesawaran"])
    page = office.get("/katalog/kelola/angka/").content.decode()
    assert re.search(r"Keripik Pisang Cokelat</td><td>Keripik Pisang Bu Siti</td><td>3</td><td>1</td>", page)
    export = office.get("/katalog/kelola/ekspor-shopee.xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.getvalue())).get_sheet_by_index(0).to_python()
    assert rows[0] == SHOPEE_COLUMNS
    assert rows[1][:7] == [
        "Camilan dan kue",
        "Keripik Pisang Cokelat",
        "Keripik pisang kepok dengan cokelat.",
        f"NK-{product.pk}",
        15000,
        1,
        250,
    ]
    assert rows[1][7].startswith("http://testserver/katalog/foto/")
    other = Client()
    other.force_login(personas["admin_lamsel"])
    assert (
        len(
            CalamineWorkbook.from_filelike(
                io.BytesIO(other.get("/katalog/kelola/ekspor-shopee.xlsx").getvalue())
            )
            .get_sheet_by_index(0)
            .to_python()
        )
        == 1
    )  # the header only
    assert other.get(f"/katalog/produk/{product.pk}/ubah/").status_code == 404


def test_the_owner_pages_add_a_product_and_a_shop(personas, seller):
    owner = Client()
    owner.force_login(personas["owner"])
    bad = owner.post(f"/usaha/{seller.pk}/produk/", {"name": "Kopi", "category": "minuman", "price": "nol"})
    assert 'role="alert"' in bad.content.decode()
    done = owner.post(
        f"/usaha/{seller.pk}/produk/",
        {"name": "Kopi Robusta Bubuk", "category": "minuman", "price": "35rb", "photos": jpeg(800, 800)},
    )
    assert done.status_code == 302
    assert Product.objects.get().price == 35_000
    owner.post(f"/usaha/{seller.pk}/toko/", {"marketplace": "tokopedia", "url": "bukan alamat"})
    assert not seller.shop_links.exists()
    owner.post(
        f"/usaha/{seller.pk}/toko/",
        {"marketplace": "tokopedia", "url": "https://www.tokopedia.com/busiti"},
    )
    assert seller.shop_links.get().url == "https://www.tokopedia.com/busiti"


def test_the_calculator_page_compares_scenarios_and_saves_one_to_a_product(personas, seller):
    product = add(personas, seller, name="Pisang Goreng Cokelat Keju")
    owner = Client()
    owner.force_login(personas["owner"])
    page = owner.get(f"/usaha/{seller.pk}/kalkulator/?contoh=pisang").content.decode()
    assert 'id="comparison"' in page
    assert re.search(r'id="added-unit">Rp\s?2\.450<', page) and re.search(
        r'id="added-month">Rp\s?2\.450\.000<', page
    )
    from naikkelas.catalog.views import _example_post

    data = _example_post() | {"save": "b", "b-product": str(product.pk)}
    assert owner.post(f"/usaha/{seller.pk}/kalkulator/", data).status_code == 302
    saved = Scenario.objects.get()
    assert saved.product == product and saved.price == 5_000 and len(saved.lines) == 6
    assert services.scenario_load(saved).unit_cost == 2_500
    broken = owner.post(
        f"/usaha/{seller.pk}/kalkulator/",
        {"a-name": "X", "a-line_name_1": "Pisang", "a-line_qty_1": "banyak", "a-yield_units": "0"},
    ).content.decode()
    assert 'role="alert"' in broken and not Scenario.objects.exclude(pk=saved.pk).exists()


def test_a_poster_is_drawn_once_per_version(personas, seller, monkeypatch):
    """The second download of an unchanged poster comes from the cache; a new price draws a new one."""
    import weasyprint

    product = published(personas, seller)
    drawn = []
    original = weasyprint.HTML.write_pdf
    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda self, *a, **k: drawn.append(1) or original(self, *a, **k)
    )
    buyer = Client()
    url = f"/katalog/produk/{product.pk}/poster.pdf"
    first = buyer.get(url).content
    assert buyer.get(url).content == first and len(drawn) == 1
    services.product_save(
        actor=personas["owner"],
        business=seller,
        product=product,
        data={"name": "Keripik Pisang Cokelat", "category": "camilan", "price": "17.500"},
    )
    assert buyer.get(url).content.startswith(b"%PDF") and len(drawn) == 2


def test_every_demo_product_is_drawn_as_itself():
    """Each product the demo sells has its own drawing (no placeholder): a pouch, a bottle, a cloth …"""
    from naikkelas.catalog.demo import ITEMS, LOOKS, SHAPES, drawing

    names = {name for items in ITEMS.values() for _category, name, _price, _unit in items}
    assert names <= set(LOOKS) and {shape for shape, _a, _b in LOOKS.values()} <= set(SHAPES)
    pictures = {name: drawing(name).tobytes() for name in names}
    assert len(set(pictures.values())) == len(names)  # no two alike
    colours = drawing("Madu Hutan").getcolors(maxcolors=100_000)
    assert len(colours) > 20  # a drawing with its text, not a flat placeholder


def test_the_curator_moves_a_product_by_one_url_per_move_and_goes_back_where_they_were(personas, seller):
    product = add(personas, seller)
    officer, owner = Client(), Client()
    officer.force_login(personas["petugas"])
    owner.force_login(personas["owner"])
    base = f"/katalog/produk/{product.pk}/kurasi/"
    assert owner.post(base + "publish/").status_code == 403  # owners do not publish
    back = officer.post(base + "publish/", {"next": "/katalog/kelola/?status=draf"})
    assert back.status_code == 302 and back.url == "/katalog/kelola/?status=draf"
    assert (
        officer.post(base + "feature/", {"next": "https://evil.example/"}).url
        == f"/katalog/produk/{product.pk}/ubah/"
    )
    product.refresh_from_db()
    assert (product.status, product.featured) == ("tayang", True)
    assert officer.post(base + "melayang/").status_code == 404  # not a move
    assert officer.get(base + "hide/").status_code == 405
    photo = product.photos.get()
    assert owner.post(f"/katalog/produk/{product.pk}/foto/{photo.pk}/hapus/").status_code == 302
    assert not product.photos.exists()
    page = officer.get("/katalog/kelola/?status=tayang").content.decode()
    assert f'formaction="/katalog/produk/{product.pk}/kurasi/unfeature/"' in page
