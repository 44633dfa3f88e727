"""Realistic demo data: Kabupaten Pesawaran (18.09) and a smaller Kabupaten Lampung Selatan (18.01).

Everything is drawn from one seeded random generator, so a second run produces the same records and
`load_demo` can tell that they are already there.
"""

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from naikkelas.accounts.constants import Role
from naikkelas.accounts.models import User
from naikkelas.core import personal
from naikkelas.core.audit import audit_many, snapshot
from naikkelas.core.models import AuditAction
from naikkelas.regions import codes
from naikkelas.regions.models import Level, Region
from naikkelas.registry import followers
from naikkelas.registry.constants import (
    BusinessStatus,
    CooperativeLevel,
    CooperativeStatus,
    CooperativeType,
    DocumentKind,
)
from naikkelas.registry.models import Business, Cooperative, LegalDocument, Person, StatusChange
from naikkelas.registry.rules import size_class_for
from naikkelas.registry.search import search_text_for
from naikkelas.registry.tallies import tally_rebuild

DEMO_PASSWORD = "naikkelas-demo"  # noqa: S105  (printed by `make demo`; demo accounts only)

WOMEN = [
    "Siti",
    "Sri",
    "Nurhayati",
    "Rahayu",
    "Wati",
    "Yuliana",
    "Ratna",
    "Dewi",
    "Ani",
    "Suryani",
    "Lestari",
    "Fitri",
    "Nurul",
    "Eka",
    "Rina",
    "Susilawati",
    "Marlina",
    "Halimah",
    "Aminah",
    "Juwita",
    "Mega",
    "Indah",
]
MEN = [
    "Ahmad",
    "Budi",
    "Slamet",
    "Suparman",
    "Joko",
    "Agus",
    "Hendra",
    "Rudi",
    "Iwan",
    "Dedi",
    "Heri",
    "Bambang",
    "Wahyu",
    "Yusuf",
    "Rahmat",
    "Syahrul",
    "Zulkifli",
    "Darmawan",
    "Firmansyah",
    "Gunawan",
    "Irfan",
    "Mulyadi",
]
FAMILY = [
    "Saputra",
    "Pratama",
    "Wijaya",
    "Hidayat",
    "Setiawan",
    "Kurniawan",
    "Susanto",
    "Rahman",
    "Hasibuan",
    "Siregar",
    "Nasution",
    "Lubis",
    "Effendi",
    "Hakim",
    "Syahputra",
    "Anwar",
    "Rosadi",
    "Fauzi",
    "",
]

# Words that read badly in Indonesian. Some real village names hold one (Lampung's "Hanau Berak"): the demo
# never builds a business name from those (tests/test_demo.py checks every generated name against this list).
BLOCKED_WORDS = {
    "berak",
    "tai",
    "anjing",
    "babi",
    "bangsat",
    "kontol",
    "memek",
    "jancok",
    "tolol",
    "goblok",
    "setan",
}


def _awkward(text: str) -> bool:
    return bool(set(re.findall(r"[a-z]+", text.lower())) & BLOCKED_WORDS)


# (sector as the office writes it, KBLI 2020 code chosen for realism, product word, share, food?)
SECTORS = [
    ("Makanan olahan", "10794", ["Keripik Pisang", "Keripik Singkong", "Kerupuk Ikan", "Kemplang"], 22, True),
    ("Kopi dan kakao", "10761", ["Kopi Robusta", "Kopi Bubuk", "Cokelat Kakao"], 8, True),
    ("Kue dan roti", "10710", ["Kue Basah", "Roti", "Bolu", "Lapis Legit"], 10, True),
    ("Warung makan", "56102", ["Warung Makan", "Pecel Lele", "Pindang", "Seruit"], 14, True),
    ("Perdagangan eceran", "47111", ["Toko Kelontong", "Warung Sembako"], 16, False),
    ("Perikanan", "03222", ["Budidaya Lele", "Ikan Asin", "Tambak Udang"], 7, True),
    ("Kerajinan", "16299", ["Anyaman Bambu", "Tenun Tapis", "Kerajinan Rotan"], 6, False),
    ("Pakaian jadi", "14111", ["Konveksi", "Penjahit"], 6, False),
    ("Bengkel", "45407", ["Bengkel Motor", "Tambal Ban"], 6, False),
    ("Pertanian", "01135", ["Sayur Organik", "Jamur Tiram", "Pisang Kepok"], 5, True),
]
# Trades with nothing to list in the product catalogue (catalog.demo gives the others products of their own).
NO_GOODS = {"Perdagangan eceran", "Bengkel"}
STREETS = ["Jl. Raya", "Jl. Ahmad Yani", "Jl. Pesantren", "Jl. Lintas", "Dusun", "Jl. Kartini", "Jl. Merdeka"]
PREFIXES = [
    "08121",
    "08122",
    "08123",
    "08131",
    "08132",
    "08521",
    "08523",
    "08531",
    "08561",
    "08571",
    "08771",
    "08781",
    "08951",
    "08961",
    "08191",
    "08111",
]

# Pesawaran's figures from its office: 7,000 registered, about 3,000 operating, about 1,000 modern.
PLAN = [("18.09", 7000, 60), ("18.01", 500, 8)]
# Banten's provincial office (admin.banten): a few hundred UMKM and twenty cooperatives over its four regencies and
# four cities. Drawn after Lampung's (the same seed gives Lampung the same records), and only where Banten's tree is
# loaded (`load_regions --only 18` leaves it out).
BANTEN_PLAN = [
    ("36.01", 40, 3), ("36.02", 40, 2), ("36.03", 50, 3), ("36.04", 40, 3),
    ("36.71", 40, 3), ("36.72", 30, 2), ("36.73", 40, 2), ("36.74", 40, 2),
]  # fmt: skip
# The demo's calendar is drawn for this day. Loaded on another day, every date of a business's or a
# cooperative's life moves by the distance between the two, so the demo tells the same story on any day
# (founding, registration, documents); only birth dates, which are part of the NIKs, stay as they are.
ANCHOR = date(2026, 11, 30)


# username, role, name, region (admins), district (field officer)
DEMO_ACCOUNTS = [
    ("admin.lampung", Role.PROVINCE_ADMIN, "Admin Provinsi Lampung", "18", None),
    ("admin.pesawaran", Role.REGENCY_ADMIN, "Admin Dinas Pesawaran", "18.09", None),
    ("admin.lamsel", Role.REGENCY_ADMIN, "Admin Dinas Lampung Selatan", "18.01", None),
    ("admin.banten", Role.PROVINCE_ADMIN, "Admin Dinas Koperasi dan UMKM Provinsi Banten", "36", None),
    ("petugas.gedongtataan", Role.FIELD_OFFICER, "Petugas Gedong Tataan", None, "18.09.01"),
    (
        "dpo.pesawaran",
        Role.DATA_PROTECTION_OFFICER,
        "Pejabat Pelindungan Data Pribadi Pesawaran",
        "18.09",
        None,
    ),
    ("pemilik", Role.BUSINESS_OWNER, "Pemilik Usaha", None, None),
    ("koperasi", Role.COOPERATIVE_MANAGER, "Pengurus Koperasi", None, None),
]


@dataclass
class DemoResult:
    created_businesses: int
    created_cooperatives: int
    accounts: list[tuple[str, str, str]]


def _weighted(rng: random.Random, items):
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items])[0]


def _nik(rng: random.Random, district: str, female: bool, birth: date, serial: int) -> str:
    day = birth.day + (40 if female else 0)
    return f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def _phone(rng: random.Random) -> str:
    local = rng.choice(PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return "+62" + local[1:]


def _revenue(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.93:
        value = rng.lognormvariate(17.9, 0.9)  # median about Rp 60 juta a year
    elif r < 0.99:
        value = rng.uniform(2_000_000_001, 15_000_000_000)
    else:
        value = rng.uniform(15_000_000_001, 50_000_000_000)
    return int(round(value, -4))


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _regency_data(rng, regency: Region, n_businesses: int, n_coops: int, start_serial: int, shift: timedelta):
    villages = list(Region.objects.filter(code__startswith=regency.code + ".", level=Level.VILLAGE))
    persons, businesses, histories, documents = [], [], [], []
    serial = start_serial
    owner_pool: list[Person] = []
    for i in range(n_businesses):
        village = rng.choice(villages)
        district = codes.parent_of(village.code)
        if owner_pool and rng.random() < 0.12:  # some people run two businesses
            person = rng.choice(owner_pool)
        else:
            female = rng.random() < 0.62
            first = rng.choice(WOMEN if female else MEN)
            name = f"{first} {rng.choice(FAMILY)}".strip()
            birth = date(rng.randint(1958, 2002), rng.randint(1, 12), rng.randint(1, 28))
            serial += 1
            person = Person(name=name, phone=_phone(rng))
            person.set_nik(_nik(rng, district, female, birth, serial % 9999 + 1))
            persons.append(person)
            owner_pool.append(person)
        sector, kbli, products, _share, food = _weighted(rng, [(s, s[3]) for s in SECTORS])
        product = rng.choice(products)
        honorific = "Bu" if person.gender == "P" else "Pak"
        name_style = rng.random()
        if name_style < 0.5:
            bname = f"{product} {honorific} {person.name.split()[0]}"
        elif name_style < 0.75 and not _awkward(village.name):
            bname = f"UD {product} {village.name}"
        elif name_style < 0.75:  # a real village whose name reads badly in Indonesian: named after its owner
            bname = f"{product} {honorific} {person.name.split()[0]}"
        else:
            bname = f"{product} {rng.choice(['Berkah', 'Barokah', 'Jaya', 'Mandiri', 'Sejahtera', 'Makmur'])}"
        founded = date(rng.randint(1998, 2024), rng.randint(1, 12), rng.randint(1, 28)) + shift
        revenue = _revenue(rng) if rng.random() < 0.9 else None
        assets = (
            int(round((revenue or 50_000_000) * rng.uniform(0.3, 1.5), -4)) if rng.random() < 0.8 else None
        )
        has_nib = rng.random() < 0.55
        business = Business(
            name=bname,
            owner=person,
            sector=sector,
            kbli=kbli,
            nib="".join(str(rng.randint(0, 9)) for _ in range(13)) if has_nib else "",
            address=f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}, RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 6):03d}",
            village=village,
            phone=person.phone if rng.random() < 0.7 else "",
            founded=founded,
            employees=rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 8, 12]),
            assets=assets,
            annual_revenue=revenue,
            status=BusinessStatus.REGISTERED,
            size_class=size_class_for(assets=assets, annual_revenue=revenue),
            external_ref=f"demo:{regency.code}:{i + 1:05d}",
        )
        businesses.append(business)
        # Registered when founded or later; what happened since comes from visits and assessments
        # (lifecycle.demo), not from here.
        registered = min(
            max(founded, date(2015, 1, 1) + shift) + timedelta(days=rng.randint(0, 700)),
            date(2026, 10, 31) + shift,
        )
        business.registered_on = registered
        steps = [(BusinessStatus.REGISTERED, "", registered)]
        histories.append(steps)
        docs = []
        if has_nib:
            docs.append((DocumentKind.NIB, business.nib, founded + timedelta(days=rng.randint(0, 400)), None))
        if food and rng.random() < 0.35:
            issued = date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)) + shift
            docs.append(
                (
                    DocumentKind.PIRT,
                    f"P-IRT {rng.randint(1, 9)}{rng.randint(100000000000, 999999999999)}-{issued.year + 5}",
                    issued,
                    issued + timedelta(days=5 * 365),
                )
            )
        if food and rng.random() < 0.2:
            issued = date(rng.randint(2020, 2025), rng.randint(1, 12), rng.randint(1, 28)) + shift
            docs.append((DocumentKind.HALAL, f"ID18{rng.randint(100000000000, 999999999999)}", issued, None))
        if food and rng.random() < 0.03:
            docs.append(
                (
                    DocumentKind.BPOM,
                    f"MD {rng.randint(100000000000, 999999999999)}",
                    date(2023, 3, 1) + shift,
                    date(2028, 3, 1) + shift,
                )
            )
        if not food and rng.random() < 0.01:
            docs.append(
                (
                    DocumentKind.SNI,
                    f"SNI {rng.randint(1000, 9999)}:{rng.randint(2015, 2024)}",
                    date(2024, 1, 10) + shift,
                    date(2028, 1, 10) + shift,
                )
            )
        documents.append(docs)

    coops = []
    for j in range(n_coops):
        village = rng.choice(villages)
        ctype = _weighted(
            rng,
            [
                (CooperativeType.SAVINGS_LOAN, 40),
                (CooperativeType.PRODUCER, 20),
                (CooperativeType.CONSUMER, 15),
                (CooperativeType.MARKETING, 15),
                (CooperativeType.SERVICES, 10),
            ],
        )
        label = {
            "simpan_pinjam": "KSP",
            "produsen": "Koperasi Produsen",
            "konsumen": "Koperasi Konsumen",
            "pemasaran": "Koperasi Pemasaran",
            "jasa": "Koperasi Jasa",
        }[ctype]
        legal_date = date(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28)) + shift
        coops.append(
            Cooperative(
                name=f"{label} {rng.choice(['Maju Bersama', 'Sejahtera', 'Tani Makmur', 'Mina Bahari', 'Berkah', 'Karya Mandiri', 'Sumber Rejeki'])} {village.name}",
                legal_entity_number=f"{rng.randint(100, 999)}/BH/{'XII' if j % 2 else 'IV'}/{legal_date.year}",
                legal_entity_date=legal_date,
                nik_koperasi=f"{regency.code.replace('.', '')}{rng.randint(10**11, 10**12 - 1)}",
                type=ctype,
                level=CooperativeLevel.SECONDARY if rng.random() < 0.05 else CooperativeLevel.PRIMARY,
                members=rng.randint(20, 1500),
                village=village,
                address=f"{rng.choice(STREETS)} No. {rng.randint(1, 99)}",
                phone=_phone(rng),
                chair_name=f"{rng.choice(MEN + WOMEN)} {rng.choice(FAMILY)}".strip(),
                status=_weighted(
                    rng,
                    [
                        (CooperativeStatus.ACTIVE, 75),
                        (CooperativeStatus.INACTIVE, 22),
                        (CooperativeStatus.DISSOLVED, 3),
                    ],
                ),
                external_ref=f"demo:{regency.code}:K{j + 1:03d}",
            )
        )
    return persons, businesses, histories, documents, coops, serial


def _ensure_user(username, *, role, first_name, region=None, districts=(), password):
    user, _created = User.objects.get_or_create(username=username)
    user.role, user.first_name, user.region = role, first_name, region
    user.set_password(password)
    user.save()
    user.districts.set(districts)
    return user


@transaction.atomic
def demo_load(*, password: str = DEMO_PASSWORD, today: date | None = None, scale: float = 1.0) -> DemoResult:
    """The demo regencies and accounts, the same on any day `today` (default: today) at any `scale` (a share
    of the full size, for tests)."""
    rng = random.Random(18_09)
    shift = (today or timezone.localdate()) - ANCHOR
    created_b = created_c = 0
    serial = 0
    for regency_code, full_businesses, full_coops in PLAN + BANTEN_PLAN:
        n_businesses, n_coops = round(full_businesses * scale), max(2, round(full_coops * scale))
        regency = Region.objects.filter(code=regency_code).first()
        if regency is None and regency_code.startswith("36."):
            continue
        if regency is None:
            raise RuntimeError(
                f"Wilayah {regency_code} belum dimuat: jalankan `naikkelas load_regions` dulu."
            )
        persons, businesses, histories, documents, coops, serial = _regency_data(
            rng, regency, n_businesses, n_coops, serial, shift
        )
        if Business.objects.filter(external_ref__startswith=f"demo:{regency_code}:").exists():
            continue  # already loaded: the same seed gives the same records
        Person.objects.bulk_create(persons, batch_size=2000)
        for b in businesses:
            b.owner_id = b.owner.pk
            b.search_text = search_text_for(name=b.name, owner_name=b.owner.name, nib=b.nib)
        Business.objects.bulk_create(businesses, batch_size=2000)
        StatusChange.objects.bulk_create(
            [
                StatusChange(business=b, status=s, previous=p, changed_at=_aware(d), note="data awal (demo)")
                for b, steps in zip(businesses, histories, strict=True)
                for s, p, d in steps
            ],
            batch_size=5000,
        )
        LegalDocument.objects.bulk_create(
            [
                LegalDocument(business=b, kind=k, number=n, issued_on=i, expires_on=e)
                for b, docs in zip(businesses, documents, strict=True)
                for k, n, i, e in docs
            ],
            batch_size=5000,
        )
        Cooperative.objects.bulk_create(coops)
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    cooperative=c,
                    status=c.status,
                    changed_at=_aware(c.legal_entity_date),
                    note="data awal (demo)",
                )
                for c in coops
            ]
        )
        audit_many(
            actor=None,
            action=AuditAction.CREATE,
            items=[(b, b.village_id, None, snapshot(b, Business.audited_fields)) for b in businesses]
            + [(c, c.village_id, None, snapshot(c, Cooperative.audited_fields)) for c in coops],
        )
        tally_rebuild()
        followers.businesses_rebuilt()
        created_b += len(businesses)
        created_c += len(coops)

    regions = Region.objects.in_bulk(["18", "18.09", "18.01", "18.09.01", "36"])
    users = {}
    for username, role, first_name, region, district in DEMO_ACCOUNTS:
        if (
            region and region not in regions
        ):  # Banten's tree not loaded (load_regions --only 18): no such office
            continue
        users[username] = _ensure_user(
            username,
            role=role,
            first_name=first_name,
            region=regions.get(region),
            districts=[regions[district]] if district else (),
            password=password,
        )
    owner_user, coop_user = users["pemilik"], users["koperasi"]
    if not Person.objects.filter(user=owner_user).exists():
        # The login goes to the first demo owner in Gedong Tataan who runs exactly one business.
        person = (
            Person.objects.filter(businesses__external_ref__startswith="demo:18.09:")
            .annotate(n=Count("businesses"))
            .filter(n=1, businesses__village__code__startswith="18.09.01.")
            .exclude(businesses__sector__in=NO_GOODS)  # the demo owner has products to show in the catalogue
            .order_by("pk")
            .first()
        )
        Person.objects.filter(pk=person.pk).update(user=owner_user)
    coop = Cooperative.objects.filter(external_ref__startswith="demo:18.09:").order_by("external_ref").first()
    coop.managers.add(coop_user)
    accounts = [
        (
            u.username,
            u.get_role_display(),
            str(u.region or ", ".join(d.code for d in u.districts.all()) or "–"),
        )
        for u in users.values()
    ]
    return DemoResult(created_b, created_c, accounts)


__all__ = ["demo_load", "DEMO_PASSWORD", "personal"]
