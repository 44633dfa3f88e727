"""Attack a running naikkelas holding the demo data, as each demo account would, and count what leaks.

    DEBUG=1 NAIKKELAS_DATA_DIR=/tmp/nk naikkelas migrate && ... load_regions --only 18,36 && ... load_demo
    DEBUG=1 NAIKKELAS_DATA_DIR=/tmp/nk naikkelas runserver 127.0.0.1:8765 &
    DEBUG=1 NAIKKELAS_DATA_DIR=/tmp/nk .venv/bin/python benchmarks/attack_demo.py --url http://127.0.0.1:8765

The script reads the same database (as an attacker who knows ids, NIKs and phone numbers from elsewhere would)
to choose its targets: for every account, records outside its area; then it tries, over HTTP only:
- every page of the URL resolver and every API operation with those records' ids (GET and POST);
- the takeover chain: a business under another region's owner NIK (API and page), a PATCH of that owner's
  e-mail, a reset of their login; the public registration with a known phone; 25 wrong passwords then the right
  one; a NIK searched from the list page.
A leak is any answer that shows an out-of-scope record's name, succeeds on an out-of-scope id, changes an
out-of-scope record, shows a stored name to the public or lets the 26th login in. Prints the figures.
The last step locks the `koperasi` login out from this address: `naikkelas axes_reset` before a second run.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Q  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402

from naikkelas.accounts.models import User  # noqa: E402
from naikkelas.accounts.scope import scope_for, scoped  # noqa: E402
from naikkelas.registry.models import Business, Person  # noqa: E402
from naikkelas.training.models import Cohort  # noqa: E402

PASSWORD = os.getenv("NAIKKELAS_DEMO_PASSWORD", "naikkelas-demo")
ACCOUNTS = ["admin.lampung", "admin.pesawaran", "admin.lamsel", "petugas.gedongtataan", "pemilik", "koperasi"]
SKIP = re.compile(r"^(admin/|api/|static/|media/|keluar/|i18n/)")
PUBLIC = re.compile(r"^(masuk/|katalog/|daftar/|peserta/|sertifikat/|sitemap\.xml|$)")


def patterns(items, prefix=""):
    for p in items:
        if isinstance(p, URLResolver):
            yield from patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def fill(pattern: str, pk: int) -> str:
    words = {
        "slug": "x",
        "ext": "jpg",
        "size": "kecil",
        "month": "2026-11",
        "kind": "pre",
        "decision": "konfirmasi",
    }
    return "/" + re.sub(
        r"<(?:(\w+):)?(\w+)>",
        lambda m: str(pk) if m.group(1) == "int" else words.get(m.group(2), "x"),
        pattern,
    )


class Session:
    def __init__(self, base: str, username: str | None):
        self.base, self.http, self.tried = base, requests.Session(), 0
        if username:
            self.http.get(f"{base}/masuk/")
            answer = self.post("/masuk/", {"username": username, "password": PASSWORD}, allow_redirects=False)
            if answer.status_code != 302:
                raise SystemExit(f"{username} could not log in ({answer.status_code}): is the demo loaded?")

    def _csrf(self) -> dict:
        return {"X-CSRFToken": self.http.cookies.get("csrftoken", "")}

    def get(self, path, **kw):
        self.tried += 1
        return self.http.get(self.base + path, allow_redirects=False, timeout=60, **kw)

    def post(self, path, data=None, **kw):
        self.tried += 1
        kw.setdefault("allow_redirects", False)
        return self.http.post(self.base + path, data=data or {}, headers=self._csrf(), timeout=60, **kw)


def _target(user, visible):
    """An out-of-scope business whose id names, in every other table, nothing this user may see (nor any shared
    record such as a KPI or an SOP), so that a page answering for that id can only be a leak."""
    from django.apps import apps

    from naikkelas.accounts.scope import scope_q

    shared = {
        "performance.kpi",
        "performance.soptemplate",
        "lifecycle.instrument",
        "training.programme",
        "catalog.category",
        "accounts.user",
        "accounts.apitoken",
    }
    scoped_models = [m for m in apps.get_models() if hasattr(m, "scope_region_field") and m is not Business]
    shared_models = [m for m in apps.get_models() if m._meta.label_lower in shared]
    candidates = (
        Business.objects.exclude(pk__in=visible.values("pk")).order_by("-pk").values_list("pk", flat=True)
    )
    for pk in candidates[:500]:
        clash = any(m._default_manager.filter(pk=pk).exists() for m in shared_models) or any(
            m._default_manager.filter(pk=pk).filter(scope_q(m, scope_for(user)) or Q()).exists()
            for m in scoped_models
        )
        if not clash:
            return Business.objects.get(pk=pk), True
    first = candidates.first()
    return (Business.objects.get(pk=first), False) if first else (None, False)


def refused(r) -> bool:
    location = r.headers.get("Location", "")
    return r.status_code in (400, 401, 403, 404, 405, 422, 429) or (
        r.status_code == 302 and location.startswith("/masuk/")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    started = time.monotonic()
    urls = [p for p in patterns(get_resolver().url_patterns) if not SKIP.match(p)]
    tried = leaks = 0
    findings: list[str] = []

    def leak(text: str) -> None:
        nonlocal leaks
        leaks += 1
        findings.append(text)

    def fingerprint(business: Business) -> str:
        business.refresh_from_db()
        owner = Person.all_objects.get(pk=business.owner_id)
        user = User.objects.filter(pk=owner.user_id).values("username", "password").first()
        return json.dumps(
            [
                business.name,
                business.village_id,
                business.annual_revenue,
                business.status,
                owner.name,
                owner.email,
                owner.phone,
                user,
            ],
            default=str,
        )

    # 1. Every page, with the ids of records outside each account's area.
    for username in ACCOUNTS:
        user = User.objects.get(username=username)
        visible = scoped(Business.objects.all(), user)
        target, every_table = _target(user, visible)
        if target is None:
            print(f"{username}: every demo business is in its area; no out-of-scope target")
            continue
        before = fingerprint(target)
        s = Session(base, username)
        for pattern in urls:
            url = fill(pattern, target.pk)
            for method in (s.get, s.post):
                r = method(url)
                body = r.text if r.headers.get("Content-Type", "").startswith("text/") else ""
                if target.name in body and "<int:" in pattern:
                    leak(f"{username} {url}: shows {target.pk}")
                # The id names the target in every table, or (when some table has an in-scope row with the same
                # id) the business pages only: there it can only mean the target.
                addressed = every_table or pattern.startswith("usaha/<int:pk>")
                if "<int:" in pattern and addressed and not PUBLIC.match(pattern) and not refused(r):
                    leak(f"{username} {url}: {r.status_code}")
        # The API with a token would do the same; the session reaches it too.
        spec = s.get("/api/v1/openapi.json").json()
        for path, ops in spec["paths"].items():
            for method in ops:
                url = re.sub(r"\{[^}]+\}", str(target.pk), path)
                s.tried += 1
                r = s.http.request(method.upper(), base + url, json={}, headers=s._csrf(), timeout=60)
                if (
                    "{" in path
                    and (every_table or path.startswith("/api/v1/businesses/"))
                    and r.status_code < 300
                ):
                    leak(f"{username} API {method.upper()} {url}: {r.status_code}")
        if fingerprint(target) != before:
            leak(f"{username}: business {target.pk} changed")
        tried += s.tried

    # 2. The takeover chain: Lampung Selatan's admin uses the NIK of a Pesawaran owner who has a login.
    victim = Business.objects.filter(owner__user__username="pemilik").first()
    nik = Person.all_objects.get(pk=victim.owner_id).get_nik()
    before = fingerprint(victim)
    s = Session(base, "admin.lamsel")
    village = (
        Business.objects.filter(village__code__startswith="18.01.")
        .values_list("village_id", flat=True)
        .first()
    )
    r = s.http.post(
        f"{base}/api/v1/businesses",
        json={
            "name": "Usaha Penyerang",
            "owner_nik": nik,
            "owner_name": "X",
            "owner_email": "penyerang@contoh.id",
            "village_code": village,
        },
        headers=s._csrf(),
        timeout=60,
    )
    s.tried += 1
    if r.status_code < 300 or victim.owner.name in r.text:
        leak(f"takeover: API create answered {r.status_code}")
    r = s.post(
        "/usaha/baru/", {"name": "Usaha Penyerang 2", "owner_nik": nik, "owner_name": "X", "village": village}
    )
    if Business.objects.filter(name__startswith="Usaha Penyerang").exists():
        leak("takeover: a business was attached to the victim")
    if fingerprint(victim) != before:
        leak("takeover: the victim's record or login changed")
    tried += s.tried

    # 3. The public registration with the victim's phone; a NIK typed in the list search; 26 logins.
    anonymous = Session(base, None)
    cohort = Cohort.objects.filter(registration_open=True).first()
    anonymous.get(f"/daftar/{cohort.registration_token}/")
    phone = Person.all_objects.get(pk=victim.owner_id).phone
    r = anonymous.post(
        f"/daftar/{cohort.registration_token}/", {"name": "Penasaran", "phone": phone}, allow_redirects=True
    )
    if victim.owner.name in r.text:
        leak("registration shows the stored name of a known phone")
    s = Session(base, "admin.pesawaran")
    r = s.post("/usaha/", {"q": nik})
    if nik in r.headers.get("Location", ""):
        leak("a NIK reached a URL")
    brute = Session(base, None)
    brute.get("/masuk/")
    for _ in range(25):
        brute.post("/masuk/", {"username": "koperasi", "password": "salah-salah"})
    r = brute.post("/masuk/", {"username": "koperasi", "password": PASSWORD})
    if r.status_code == 302:
        leak("the 26th login after 25 wrong passwords got in")
    tried += anonymous.tried + s.tried + brute.tried

    print(f"requests tried: {tried}")
    print(f"leaks: {leaks}")
    for line in findings[:50]:
        print("  " + line)
    print(f"time: {time.monotonic() - started:.1f} s")
    sys.exit(1 if leaks else 0)


if __name__ == "__main__":
    main()
