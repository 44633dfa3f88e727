"""Benchmark: a day of a province office at 1,000,000 businesses, replayed against gunicorn on loopback.

Virtual users (regency admins, a province admin, field officers, the public) each loop over a mix of pages with a
think time between requests (exponential, mean --think seconds: a person reads a page before the next click):

    page            who                   share
    list            admins                 18 %   /usaha/
    search          admins, officers       14 %   /usaha/?q=<word>
    business        admins, officers       24 %   /usaha/<pk>/ (a business in the user's area)
    visit           officers               10 %   POST /usaha/<pk>/kunjungan/ (a visit found it operating)
    funnel          admins                 10 %   /dasbor/corong/
    import_check    regency admin           2 %   POST /impor/ (a 20-row list), then POST …/periksa/ (the worker)
    catalogue       public                 22 %   /katalog/ and /katalog/produk/<pk>/

gunicorn runs with --workers (default 4, sync) and the background worker as its own process, DEBUG off, on
PostgreSQL. Every random choice is seeded. Prints, per concurrency level, throughput and p50/p95/p99 per page and
the errors (any answer other than the expected status, or no answer within 30 s).

    .venv/bin/python benchmarks/office_day.py                         # 1,000,000 businesses; 100 and 200 users
    .venv/bin/python benchmarks/office_day.py --businesses 100000 --users 50 --duration 30
    .venv/bin/python benchmarks/office_day.py --keep                  # reuse the database of the last run

Target (issue 20): 0 errors and p95 ≤ 500 ms for every page at 100 concurrent users on a 2-core machine.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, setup_django  # noqa: E402

PORT = 8792
PASSWORD = "bench-office-day-2026"  # noqa: S105
# Names as varied as an office's lists: 48 product words and 46 given names (a search for "keripik siti" finds
# about one business in a thousand, as in a real registry; with 10 of each, every search would match 2 %).
WORDS = [
    "keripik",
    "kopi",
    "warung",
    "toko",
    "bengkel",
    "kue",
    "tenun",
    "ikan",
    "jamur",
    "sambal",
    "madu",
    "tahu",
    "tempe",
    "bakso",
    "jahe",
    "gula",
    "kerupuk",
    "emping",
    "batik",
    "rotan",
    "bambu",
    "anyaman",
    "sapu",
    "tikar",
    "dodol",
    "lanting",
    "opak",
    "rengginang",
    "pempek",
    "tekwan",
    "seruit",
    "lempok",
    "kemplang",
    "getuk",
    "klepon",
    "bolu",
    "donat",
    "roti",
    "susu",
    "telur",
    "ayam",
    "bebek",
    "kambing",
    "sayur",
    "buah",
    "pisang",
    "nanas",
    "durian",
]
NAMES = [
    "siti",
    "budi",
    "ahmad",
    "rahayu",
    "slamet",
    "dewi",
    "agus",
    "ratna",
    "joko",
    "wati",
    "sri",
    "hadi",
    "yuni",
    "bambang",
    "endang",
    "tuti",
    "eko",
    "wahyu",
    "lestari",
    "rina",
    "andi",
    "yanti",
    "heru",
    "nur",
    "indah",
    "dian",
    "fitri",
    "rudi",
    "sari",
    "toni",
    "ani",
    "edi",
    "mulyadi",
    "purwanti",
    "suparman",
    "sutrisno",
    "nanang",
    "kartini",
    "hendra",
    "marlina",
    "iwan",
    "susanti",
    "rahmat",
    "yusuf",
    "aminah",
    "zainal",
]
SHARES = {
    "list": 18,
    "search": 14,
    "business": 24,
    "visit": 10,
    "funnel": 10,
    "import_check": 2,
    "catalogue": 22,
}
LIST = (
    "NO,NAMA USAHA,NAMA PEMILIK,NO. HP/WA,DESA/KEL,KEC.,OMZET PER BULAN (Rp),TENAGA KERJA,JENIS USAHA\n"
    + "".join(
        f"{i},Usaha Uji {i},Pemilik Uji {i},0812{i:08d},Bagelen,Gedong Tataan,1.500.000,2,Makanan olahan\n"
        for i in range(1, 21)
    )
)


def fill(businesses: int) -> dict:
    """The province: the catalogue benchmark's 5,000 products, then businesses up to `businesses`."""
    from catalog_load import generate
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from naikkelas.core.bulk import BulkTable
    from naikkelas.regions.models import Level, Region
    from naikkelas.registry import followers
    from naikkelas.registry.models import Business, Person
    from naikkelas.registry.tallies import tally_rebuild

    User = get_user_model()
    have = Business.objects.count()
    if have < businesses:
        if have == 0:
            generate(5000)
            have = Business.objects.count()
        villages = list(
            Region.objects.filter(level=Level.VILLAGE, code__startswith="18.").values_list("code", flat=True)
        )
        rng = random.Random(20)
        now = timezone.now()
        started = time.monotonic()
        while have < businesses:
            n = min(50_000, businesses - have)
            persons = BulkTable(Person, ["id", "name", "nik_encrypted", "nik_hash", "nik_masked", "gender", "phone",
                                         "email", "created_at", "updated_at"])  # fmt: skip
            table = BulkTable(Business, ["id", "name", "owner_id", "village_id", "sector", "size_class", "status",
                                         "registered_on", "search_text", "nib", "kbli", "address", "phone",
                                         "external_ref", "created_at", "updated_at"])  # fmt: skip
            with transaction.atomic():
                _chunk(persons, table, n, rng, villages, now)
            have += n
            print(f"  {have:,} businesses ({time.monotonic() - started:.0f} s)", flush=True)
        tally_rebuild()
        followers.businesses_rebuilt()
    users = {
        "province": ("bench.provinsi", "province_admin", "18", []),
        "regency": ("bench.pesawaran", "regency_admin", "18.09", []),
        "officer": ("bench.petugas", "field_officer", "18.09", ["18.09.01"]),
    }
    for username, role, region, districts in users.values():
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_user(username, password=PASSWORD, role=role, region_id=region)
            if districts:
                user.districts.set(districts)
    in_district = list(
        Business.objects.filter(village__code__startswith="18.09.01.", status__in=["operating", "modern"])
        .order_by("pk").values_list("pk", flat=True)[:5000]
    )  # fmt: skip
    in_regency = list(
        Business.objects.filter(village__code__startswith="18.09.")
        .order_by("pk")
        .values_list("pk", flat=True)[:20000]
    )
    from naikkelas.catalog.models import Product

    products = list(Product.objects.filter(listed=True).order_by("pk").values_list("pk", flat=True)[:2000])
    return {
        "users": {k: v[0] for k, v in users.items()},
        "district": in_district,
        "regency": in_regency,
        "products": products,
        "businesses": Business.objects.count(),
    }


def _chunk(persons, table, n, rng, villages, now) -> None:
    pids = persons.allocate(n)
    owners = [f"{rng.choice(NAMES).title()} {rng.choice(NAMES).title()}" for _ in pids]
    persons.insert(
        (pk, owner, "", "", "", "", "", "", now, now) for pk, owner in zip(pids, owners, strict=True)
    )
    bids = table.allocate(n)
    rows = []
    for pk, owner, person in zip(bids, owners, pids, strict=True):
        name = f"{rng.choice(WORDS).title()} {rng.choice(NAMES).title()} {pk}"
        status = rng.choices(["registered", "operating", "modern", "closed"], [4, 3, 1, 1])[0]
        rows.append((pk, name, person, rng.choice(villages), "Makanan olahan", "mikro", status, now.date(),
                     f"{name} {owner}".lower(), "", "", "", "", "", now, now))  # fmt: skip
    table.insert(rows)


# A small HTTP/1.1 client: gunicorn's sync workers close every connection, so one request per connection.
async def http(method: str, path: str, *, cookies: dict, body: bytes = b"", headers: dict | None = None):
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{PORT}",
        "Connection: close",
        "User-Agent: office-day",
    ]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if "csrftoken" in cookies and method == "POST":
        lines.append(f"X-CSRFToken: {cookies['csrftoken']}")
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    raw = await reader.read()
    writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    status = int(head_lines[0].split()[1])
    answer_headers = defaultdict(list)
    for line in head_lines[1:]:
        key, _, value = line.partition(":")
        answer_headers[key.strip().lower()].append(value.strip())
    for cookie in answer_headers.get("set-cookie", []):
        name, _, rest = cookie.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return status, answer_headers, content


def form(fields: dict) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def multipart(fields: dict, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----officeday7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def login(username: str) -> dict:
    cookies: dict = {}
    await http("GET", "/masuk/", cookies=cookies)
    status, headers, _ = await http("POST", "/masuk/", cookies=cookies, body=form(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": cookies["csrftoken"]}
    ), headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status == 302 and "sessionid" in cookies, (username, status, headers)
    return cookies


class Tally:
    def __init__(self):
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.examples = {}

    def add(self, page: str, seconds: float, ok: bool, what: str = "") -> None:
        self.times[page].append(seconds)
        if not ok:
            self.errors[page] += 1
            self.examples.setdefault(page, what)


async def user_loop(
    n: int,
    data: dict,
    sessions: dict,
    tally: Tally,
    until: float,
    measure_from: float,
    think: float,
    day: str,
):
    rng = random.Random(1000 + n)
    role = [
        "regency",
        "regency",
        "regency",
        "officer",
        "officer",
        "officer",
        "province",
        "public",
        "public",
        "public",
    ][n % 10]
    cookies = dict(sessions.get(role, {}))
    pages = [p for p in SHARES if _allowed(role, p)]
    weights = [SHARES[p] for p in pages]
    await asyncio.sleep(rng.random() * think)
    while time.monotonic() < until:
        page = rng.choices(pages, weights)[0]
        started = time.monotonic()
        ok, what = True, ""
        try:
            ok, what = await asyncio.wait_for(_do(page, role, rng, data, cookies, day), timeout=30)
        except Exception as exc:  # noqa: BLE001 - a failed request is counted, the user goes on
            ok, what = False, f"{type(exc).__name__}: {exc}"[:200]
        if started >= measure_from:
            tally.add(page, time.monotonic() - started, ok, what)
        await asyncio.sleep(rng.expovariate(1 / think))


def _allowed(role: str, page: str) -> bool:
    return {
        "public": {"catalogue"},
        "officer": {"search", "business", "visit"},
        "regency": {"list", "search", "business", "funnel", "import_check"},
        "province": {"list", "search", "business", "funnel"},
    }[role].__contains__(page)


async def _do(page, role, rng, data, cookies, day) -> tuple[bool, str]:
    if page == "list":
        status, _, _ = await http("GET", "/usaha/", cookies=cookies)
        return status == 200, str(status)
    if page == "search":
        status, _, _ = await http(
            "GET", f"/usaha/?q={rng.choice(WORDS)}+{rng.choice(NAMES)}", cookies=cookies
        )
        return status == 200, str(status)
    if page == "business":
        pk = rng.choice(data["district"] if role == "officer" else data["regency"])
        status, _, _ = await http("GET", f"/usaha/{pk}/", cookies=cookies)
        return status == 200, str(status)
    if page == "visit":
        pk = rng.choice(data["district"])
        body = form(
            {
                "date": day,
                "outcome": "operating",
                "notes": "kunjungan rutin",
                "client_id": f"bench-{rng.getrandbits(64):x}",
            }
        )
        status, headers, content = await http("POST", f"/usaha/{pk}/kunjungan/", cookies=cookies, body=body,
                                              headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        return status == 302, f"{status} {content[:200]!r}"
    if page == "funnel":
        status, _, _ = await http("GET", "/dasbor/corong/", cookies=cookies)
        return status == 200, str(status)
    if page == "import_check":
        body, kind = multipart(
            {"kind": "businesses", "region": "18.09", "csrfmiddlewaretoken": cookies["csrftoken"]},
            "uji.csv",
            LIST.encode(),
        )
        status, headers, content = await http(
            "POST", "/impor/", cookies=cookies, body=body, headers={"Content-Type": kind}
        )
        location = (headers.get("location") or [""])[0]
        match = re.search(r"/impor/(\d+)/$", location)
        if status != 302 or not match:
            return False, f"upload {status} {location} {content[:200]!r}"
        status, _, _ = await http("POST", f"/impor/{match.group(1)}/periksa/", cookies=cookies, body=b"",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        return status == 302, f"check {status}"
    # catalogue: the home page or a product page
    if rng.random() < 0.4:
        status, _, _ = await http("GET", "/katalog/", cookies=cookies)
    else:
        status, _, _ = await http("GET", f"/katalog/produk/{rng.choice(data['products'])}/", cookies=cookies)
    return status in (200, 301, 302), str(status)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_level(
    users: int, data: dict, sessions: dict, ramp: float, duration: float, think: float, day: str
) -> dict:
    tally = Tally()
    start = time.monotonic()
    measure_from, until = start + ramp, start + ramp + duration
    await asyncio.gather(
        *(user_loop(n, data, sessions, tally, until, measure_from, think, day) for n in range(users))
    )
    rows = {}
    for page in SHARES:
        times = tally.times.get(page, [])
        if not times:
            continue
        rows[page] = {
            "requests": len(times),
            "per_s": round(len(times) / duration, 1),
            "p50_ms": round(statistics.median(times) * 1000),
            "p95_ms": round(percentile(times, 0.95) * 1000),
            "p99_ms": round(percentile(times, 0.99) * 1000),
            "errors": tally.errors.get(page, 0),
        }
    total = sum(r["requests"] for r in rows.values())
    return {
        "users": users,
        "requests_per_s": round(total / duration, 1),
        "pages": rows,
        "error_examples": tally.examples,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--users", default="100,200", help="concurrency levels, comma-separated")
    parser.add_argument("--duration", type=float, default=60, help="seconds measured per level")
    parser.add_argument("--ramp", type=float, default=10, help="seconds before measuring")
    parser.add_argument("--think", type=float, default=5, help="mean think time between a user's requests")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="reuse naikkelas_bench from the last run")
    parser.add_argument("--day", default=date.today().isoformat(), help="the visits' date")
    args = parser.parse_args()
    os.environ.update(
        {"SESSION_COOKIE_SECURE": "False", "CSRF_COOKIE_SECURE": "False", "ALLOWED_HOSTS": "127.0.0.1"}
    )
    setup_django("postgres", keep=args.keep)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    started = time.monotonic()
    data = fill(args.businesses)
    print(f"database: {data['businesses']:,} businesses ({time.monotonic() - started:.0f} s)", flush=True)

    env = {**os.environ, "NAIKKELAS_LOG_FORMAT": "text", "LOG_LEVEL": "ERROR", "ALLOWED_HOSTS": "127.0.0.1"}
    web = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "naikkelas.wsgi:application", "-c", str(ROOT / "deploy/gunicorn.conf.py"),
         "--workers", str(args.workers), "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "naikkelas.cli", "worker", "--interval", "1"], env=env, cwd=ROOT
    )
    try:
        time.sleep(3)

        async def go():
            sessions = {role: await login(name) for role, name in data["users"].items()}
            sessions["public"] = {}
            results = []
            for users in [int(u) for u in args.users.split(",")]:
                results.append(
                    await run_level(users, data, sessions, args.ramp, args.duration, args.think, args.day)
                )
                print(json.dumps(results[-1], indent=1), flush=True)
            return results

        results = asyncio.run(go())
    finally:
        web.send_signal(signal.SIGTERM)
        worker.send_signal(signal.SIGTERM)
        web.wait(30)
        worker.wait(30)
    print(f"\n{data['businesses']:,} businesses, gunicorn {args.workers} workers, think time {args.think} s, "
          f"{args.duration:.0f} s per level")  # fmt: skip
    for result in results:
        print(f"\n{result['users']} users: {result['requests_per_s']} requests/s")
        print(f"{'page':<14}{'req':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}")
        for page, row in result["pages"].items():
            print(
                f"{page:<14}{row['requests']:>7}{row['per_s']:>8}{row['p50_ms']:>8}{row['p95_ms']:>8}{row['p99_ms']:>8}{row['errors']:>8}"
            )


if __name__ == "__main__":
    main()
