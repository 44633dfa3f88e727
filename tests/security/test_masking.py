"""Masking that holds: from everything a masked page and the API show, an attacker tries to rebuild each NIK
(the masked NIK gives province, regency and serial; the hidden digits are district, birth day + 40 for women,
month and year). Every candidate built from what is shown must miss."""

import re
from datetime import date

import pytest
from django.test import Client

from naikkelas.regions.models import Level, Region
from naikkelas.registry import services

MONTHS = {
    name: n
    for n, names in enumerate(
        [("januari", "january"), ("februari", "february"), ("maret", "march"), ("april",), ("mei", "may"),
         ("juni", "june"), ("juli", "july"), ("agustus", "august"), ("september",), ("oktober", "october"),
         ("november",), ("desember", "december")],
        start=1,
    )
    for name in names
}  # fmt: skip


def exposed_dates(text: str) -> set[date]:
    found = set()
    for y, m, d in re.findall(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        found.add(date(int(y), int(m), int(d)))
    for d, month, y in re.findall(r"\b(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\b", text):
        if month.lower() in MONTHS:
            found.add(date(int(y), MONTHS[month.lower()], int(d)))
    for d, m, y in re.findall(r"\b(\d{2})/(\d{2})/(\d{4})\b", text):
        found.add(date(int(y), int(m), int(d)))
    return found


def rebuild(masked: str, text: str) -> set[str]:
    """Every NIK an attacker can build from a masked NIK and the text shown beside it."""
    districts = {
        c[6:8]
        for c in re.findall(r"\b18\.\d{2}\.\d{2}(?:\.\d{4})?\b", text)
        if c.startswith(f"{masked[:2]}.{masked[2:4]}.")
    }
    candidates = set()
    for district in districts:
        for born in exposed_dates(text):
            for day in (born.day, born.day + 40):
                candidates.add(
                    f"{masked[:4]}{district}{day:02d}{born.month:02d}{born.year % 100:02d}{masked[-4:]}"
                )
    return candidates


def test_the_attacker_used_here_rebuilds_a_nik_when_the_birth_date_is_shown():
    """The check below can fail: given a birth date and a village code, it finds the NIK."""
    text = "Desa 18.09.01.2001 · Lahir 17 Agustus 1985"
    assert "1809015708850001" in rebuild("1809xxxxxxxx0001", text)


@pytest.fixture
def owners(personas):
    villages = [
        Region.objects.filter(code__startswith=f"18.09.{d:02d}.", level=Level.VILLAGE)
        .order_by("code")
        .first()
        for d in (1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3)
    ]
    made = []
    for n, village in enumerate(villages):
        district = village.code[6:8]
        born = date(1960 + n, 1 + n % 12, 1 + n)
        nik = f"1809{district}{born.day + (40 if n % 2 else 0):02d}{born.month:02d}{born.year % 100:02d}{n + 1:04d}"
        business = services.business_create(
            actor=personas["admin_pesawaran"],
            data={
                "name": f"Usaha {n}",
                "owner_name": f"Pemilik {n}",
                "owner_nik": nik,
                "village": village.code,
            },
        )
        made.append((business, nik))
    return made


def test_no_nik_is_rebuilt_from_what_masked_pages_and_the_api_show(personas, owners, api_client_for):
    seen = hits = 0
    for viewer in ("admin_pesawaran", "admin_lampung", "petugas", "national"):
        web = Client()
        web.force_login(personas[viewer])
        api = api_client_for(personas[viewer])
        listing = api.get("/api/v1/businesses?page_size=100").content.decode()
        for business, nik in owners:
            page = web.get(f"/usaha/{business.pk}/")
            if page.status_code != 200:
                continue
            detail = api.get(f"/api/v1/businesses/{business.pk}").content.decode()
            # The attacker knows the village (and so the district) of the business, whatever the page shows.
            text = page.content.decode() + detail + listing + f" {business.village_id} "
            masked = f"{nik[:4]}xxxxxxxx{nik[-4:]}"
            assert masked in text and nik not in text
            candidates = rebuild(masked, text)
            seen += 1
            hits += nik in candidates
    assert seen >= 12 * 3  # every masked page was read by the viewers who may open it
    assert hits == 0


def test_the_revealed_nik_comes_with_its_birth_date_and_gender_in_one_audited_post(personas, owners):
    from naikkelas.core.models import AuditAction, AuditLog

    business, nik = owners[1]
    web = Client()
    web.force_login(
        personas["petugas"] if business.village_id.startswith("18.09.01.") else personas["admin_pesawaran"]
    )
    shown = web.post(f"/usaha/{business.pk}/nik/").content.decode()
    assert nik in shown and "Perempuan" in shown
    assert AuditLog.objects.filter(action=AuditAction.VIEW_NIK, object_id=str(business.owner_id)).count() == 1
