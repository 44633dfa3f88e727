"""Benchmark: the public catalogue with 100,000 products.

1. Server time (Django's test client, DEBUG off, static files collected) of the home page, a category page (first
   page and a district-filtered later page), search and a product page: p50/p95 of 200 requests, with the page
   cache cold (cleared before every request) and warm.
2. A loopback load test: gunicorn (2 workers, this machine's 2 cores) under wrk for --duration seconds, on a mix
   of pages (home 30 %, category pages 30 %, product pages 40 % over 2,000 products, popular ones more often);
   requests per second and latency percentiles as wrk prints them.
3. Caching stays correct: a product's price and a featured product's name are changed through the services while
   gunicorn runs; the next request for each page shows the change.

    sudo apt-get install wrk                       # the load generator (Debian package)
    .venv/bin/python benchmarks/catalog_load.py    # SQLite, 100,000 products, 20 s of load
    .venv/bin/python benchmarks/catalog_load.py --backend postgres --duration 30
Targets (issue 8): p50 ≤ 50 ms for home, category and product pages; ≥ 300 requests/s with p99 ≤ 300 ms.
"""

import argparse
import io
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django  # noqa: E402

PORT = 8791


def generate(n_products: int) -> dict:
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from PIL import Image

    from naikkelas.catalog.models import Category, Product, ProductPhoto
    from naikkelas.core.bulk import BulkTable
    from naikkelas.core.images import renditions
    from naikkelas.regions.models import Level, Region
    from naikkelas.registry.models import Business, Person

    cached = sorted((ROOT / "var" / "packages").glob("idn-area-data-*.tgz"))
    call_command(
        "load_regions", "--only", "18", *(["--source", str(cached[-1])] if cached else []), verbosity=0
    )
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith="18.").values_list("code", flat=True)
    )
    categories = list(Category.objects.all())
    rng = random.Random(8)
    now = timezone.now()
    n_businesses = max(1, n_products // 5)
    t0 = time.monotonic()
    with transaction.atomic():
        persons = BulkTable(
            Person,
            [
                "id",
                "name",
                "nik_encrypted",
                "nik_hash",
                "nik_masked",
                "gender",
                "phone",
                "email",
                "created_at",
                "updated_at",
            ],
        )
        businesses = BulkTable(
            Business,
            [
                "id",
                "name",
                "owner_id",
                "village_id",
                "sector",
                "size_class",
                "status",
                "registered_on",
                "search_text",
                "nib",
                "kbli",
                "address",
                "phone",
                "external_ref",
                "created_at",
                "updated_at",
            ],
        )
        pids = persons.allocate(n_businesses)
        persons.insert((pk, f"Pemilik {pk}", "", "", "", "", "", "", now, now) for pk in pids)
        bids = businesses.allocate(n_businesses)
        village_of = {}
        rows = []
        closed = set()
        for pk, owner in zip(bids, pids, strict=True):
            village_of[pk] = rng.choice(villages)
            status = "closed" if rng.random() < 0.05 else "operating"
            if status == "closed":
                closed.add(pk)
            rows.append(
                (
                    pk,
                    f"UMKM {pk}",
                    owner,
                    village_of[pk],
                    "Makanan olahan",
                    "mikro",
                    status,
                    now.date(),
                    f"umkm {pk}",
                    "",
                    "",
                    "",
                    f"+62812{pk:07d}",
                    "",
                    now,
                    now,
                )
            )
        businesses.insert(rows)
        photos = []
        for colour in [(200, 150, 40), (120, 70, 40), (40, 120, 50), (190, 60, 40)]:
            out = io.BytesIO()
            Image.new("RGB", (1000, 1000), colour).save(out, "JPEG")
            files = renditions(ContentFile(out.getvalue(), name="p.jpg"), large=1200, small=400)
            photos.append(files)
        words = [
            "Keripik",
            "Kopi",
            "Sambal",
            "Madu",
            "Tapis",
            "Kerupuk",
            "Pisang",
            "Jahe",
            "Gula Aren",
            "Emping",
        ]
        flavours = [
            "Original",
            "Balado",
            "Cokelat",
            "Pedas",
            "Manis",
            "Robusta",
            "Hutan",
            "Ikan",
            "Keju",
            "Jagung",
        ]
        products = []
        for n in range(n_products):
            business = bids[n % n_businesses]
            name = f"{rng.choice(words)} {rng.choice(flavours)} {n}"
            status = "tayang" if rng.random() < 0.95 else "draf"
            products.append(
                Product(
                    listed=status == "tayang" and business not in closed,
                    business_id=business,
                    name=name,
                    slug=name.lower().replace(" ", "-"),
                    category=rng.choice(categories),
                    price=rng.randrange(5_000, 200_000, 500),
                    unit="pack",
                    description=f"{name} dari UMKM binaan.",
                    status=status,
                    featured=rng.random() < 0.001,
                    district_code=village_of[business][:8],
                    search_text=f"{name} umkm {business}".lower(),
                    published_at=now - timezone.timedelta(minutes=n),
                )
            )
        Product.objects.bulk_create(products, batch_size=5000)
        # Every product shows one of four photos (the files are shared: their rows are what the pages read).
        stored = []
        for files in photos:
            first = ProductPhoto(
                product=Product.objects.first(), width=files["width"], height=files["height"]
            )
            for field in ("large_webp", "large_jpeg", "small_webp", "small_jpeg"):
                getattr(first, field).save(files[field].name, files[field], save=False)
            first.save()
            stored.append(first)
        ProductPhoto.objects.bulk_create(
            (
                ProductPhoto(
                    product_id=pk,
                    width=s.width,
                    height=s.height,
                    large_webp=s.large_webp.name,
                    large_jpeg=s.large_jpeg.name,
                    small_webp=s.small_webp.name,
                    small_jpeg=s.small_jpeg.name,
                )
                for pk, s in ((pk, stored[pk % 4]) for pk in Product.objects.values_list("pk", flat=True)[1:])
            ),
            batch_size=5000,
        )
    # What autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) does on a live database after a bulk load.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"businesses": n_businesses, "products": n_products, "seconds": round(time.monotonic() - t0, 1)}


def server_times(client, paths: dict[str, list[str]], *, cold: bool, repeats: int = 200) -> dict:
    from django.core.cache import cache

    result = {}
    for label, choices in paths.items():
        if not cold:  # warm: every page once first, then measured from the cache
            for path in choices:
                client.get(path)
        times = []
        for n in range(repeats):
            if cold:
                cache.clear()
            path = choices[n % len(choices)]
            t = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        result[label] = (round(statistics.median(times), 1), round(times[int(len(times) * 0.95)], 1))
    return result


def fetch(path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10) as response:  # noqa: S310
        return response.read().decode()


def load_test(paths: list[str], duration: int, connections: int) -> str:
    script = Path(tempfile.mkdtemp()) / "mix.lua"
    quoted = ",".join(f'"{p}"' for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nmath.randomseed(7)\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    run = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for the load test: sudo apt-get install wrk")
    setup_django(args.backend)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    print(f"backend: {args.backend}; generating {args.products:,} products …", flush=True)
    print("generated:", generate(args.products), flush=True)

    from naikkelas.catalog import services
    from naikkelas.catalog.models import Category, Product
    from naikkelas.catalog.selectors import public_products

    rng = random.Random(3)
    public = list(public_products().values_list("pk", "slug")[:50_000])
    products = [f"/katalog/produk/{pk}-{slug}/" for pk, slug in rng.sample(public, 2000)]
    slugs = list(Category.objects.values_list("slug", flat=True))
    district = public_products().values_list("district_code", flat=True).first()
    paths = {
        "home": ["/katalog/"],
        "category, page 1": [f"/katalog/kategori/{s}/" for s in slugs],
        "category, district, page 3": [
            f"/katalog/kategori/{s}/?kecamatan={district}&page=3" for s in slugs[:3]
        ],
        "search 'keripik cokelat'": ["/katalog/cari/?q=keripik+cokelat"],
        "product": products[:200],
    }
    client = Client()
    for cold in (True, False):
        print(
            f"\nserver time, cache {'cold (cleared before each request)' if cold else 'warm'}: p50 / p95 ms"
        )
        for label, (p50, p95) in server_times(client, paths, cold=cold).items():
            print(f"  {label:<28} {p50:>7} / {p95}")

    env = os.environ | {"DJANGO_SETTINGS_MODULE": "naikkelas.settings"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "naikkelas.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                fetch("/katalog/")
                break
            except OSError:
                time.sleep(0.2)
        popular = products[:200] * 4 + products  # some products are far more popular than others
        mix = ["/katalog/"] * 300 + [f"/katalog/kategori/{s}/" for s in slugs] * 33 + popular[:400]
        print(
            f"\nload test: gunicorn -w 2, wrk -t2 -c{args.connections} -d{args.duration}s, {len(set(mix))} distinct pages"
        )
        out = load_test(mix, args.duration, args.connections)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
        lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        print(
            f"  requests/s {rate}; latency p50 {lat.get('50')}, p90 {lat.get('90')}, p99 {lat.get('99')}; "
            f"non-2xx: {errors.group(1) if errors else 0}"
        )
        print("  " + out.replace("\n", "\n  ").rstrip())

        from naikkelas.accounts.constants import Role
        from naikkelas.accounts.models import User
        from naikkelas.regions.models import Region

        admin = User.objects.create_user(
            "bench.admin", password="x", role=Role.PROVINCE_ADMIN, region=Region.objects.get(code="18")
        )
        pk, slug = public[0]
        page = f"/katalog/produk/{pk}-{slug}/"
        fetch(page)
        fetch("/katalog/")
        product = Product.objects.get(pk=pk)
        services.product_save(
            actor=admin,
            business=product.business,
            product=product,
            data={"name": product.name, "category": product.category.slug, "price": "123.456"},
        )
        price_ok = "123.456" in fetch(page)
        featured = (
            Product.objects.filter(status="tayang", featured=True).exclude(business__status="closed").first()
        )
        if featured is None:
            featured = services.product_curate(
                actor=admin, product=Product.objects.get(pk=public[1][0]), featured=True
            )
            fetch("/katalog/")
        services.product_save(
            actor=admin,
            business=featured.business,
            product=featured,
            data={
                "name": "Nama Baru Setelah Diubah",
                "category": featured.category.slug,
                "price": str(featured.price),
            },
        )
        home_ok = "Nama Baru Setelah Diubah" in fetch("/katalog/")
        print(
            f"\ncache after an edit (served by gunicorn): product page shows the new price: {price_ok}; "
            f"home shows the renamed featured product: {home_ok}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
