"""Demo intake: a district's list as an office receives it (a CSV with a title, a column-number row and the
usual mess), uploaded by each regency's admin and checked, waiting on the import page to be imported."""

import logging
import random
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from naikkelas.accounts.models import User
from naikkelas.intake.duplicates import run_search
from naikkelas.intake.models import DuplicateRun, ImportUpload, UploadStatus
from naikkelas.intake.tasks import run_upload
from naikkelas.regions.models import Level, Region
from naikkelas.registry import services as registry
from naikkelas.registry.models import Business

# (uploader, regency): one list per demo regency, of its first district.
LISTS = [("admin.pesawaran", "18.09"), ("admin.lamsel", "18.01")]
HEADER = [
    "NO",
    "NAMA USAHA",
    "NAMA PEMILIK",
    "NO. HP/WA",
    "ALAMAT",
    "DESA/KEL",
    "KEC.",
    "OMZET PER BULAN (Rp)",
    "TENAGA KERJA",
    "JENIS USAHA",
]
TRADES = [
    ("Keripik", "Makanan olahan"),
    ("Kue Basah", "Kue dan roti"),
    ("Warung Nasi", "Warung makan"),
    ("Tenun", "Kerajinan"),
    ("Kopi Bubuk", "Kopi dan kakao"),
    ("Madu", "Pertanian"),
]
PREFIXES = ["0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878"]  # mobile numbers in use
OWNERS = [
    "Sri Wahyuni",
    "Nur Aini",
    "Rohmat",
    "Yuliana",
    "Sutrisno",
    "Lestari",
    "Hasanudin",
    "Marlina",
    "Wagiman",
    "Eka Putri",
    "Suparman",
    "Nurhayati",
]


def _rows(rng: random.Random, villages: list[str], district: str) -> list[list]:
    rows = []
    for n in range(1, 25):
        trade, sector = rng.choice(TRADES)
        owner = rng.choice(OWNERS)
        money = rng.choice(["{} jt", "Rp {}.000.000,-", "{}000000"]).format(rng.randint(1, 9))
        rows.append(
            [
                n,
                f"{trade} {owner.split()[0]}",
                owner,
                f"{rng.choice(PREFIXES)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                f"Dusun {rng.randint(1, 5)} RT 0{rng.randint(1, 4)}",
                rng.choice(villages),
                district,
                money,
                f"{rng.randint(1, 6)} orang",
                sector,
            ]
        )
    rows[6][5] = "Kampung Entah"  # a village no regency has: rejected, with the reason
    rows[13][3] = "0812"  # a phone too short: rejected
    rows[19][7] = "ratusan ribu"  # revenue in words: rejected
    return rows


@transaction.atomic
def demo_intake(*, today: date, seed: int = 31) -> int:
    """Returns the number of rows in the checked uploads (0 when the demo already has them)."""

    rng = random.Random(seed)
    made = 0
    for username, regency in LISTS:
        admin = User.objects.filter(username=username).first()
        district = Region.objects.filter(parent_id=regency, level=Level.DISTRICT).order_by("code").first()
        if admin is None or district is None:
            continue
        file_name = f"Pendataan UMKM {district.name.title()} (demo).csv"
        if ImportUpload.objects.filter(original_name=file_name).exists():
            continue
        villages = list(
            Region.objects.filter(code__startswith=district.code + ".", level=Level.VILLAGE)
            .order_by("code")
            .values_list("name", flat=True)[:6]
        )
        rows = _rows(rng, villages, district.name.upper())
        lines = [
            f"DAFTAR UMKM KECAMATAN {district.name.upper()}",
            f"Pendataan {today:%m/%Y}",
            ";".join(HEADER),
            ";".join(str(n) for n in range(1, len(HEADER) + 1)),
        ]
        lines += [";".join(str(v) for v in row) for row in rows]
        upload = ImportUpload(
            actor=admin,
            original_name=file_name,
            kind="businesses",
            region_code=regency,
            status=UploadStatus.CHECKING,
        )
        upload.file.save("upload.csv", ContentFile(("\n".join(lines) + "\n").encode("utf-8")), save=False)
        upload.save()
        run_upload.call(upload.pk, True)  # the check (a dry run), here and now rather than by the worker
        made += len(rows)
    return made


PLANTED = 3  # businesses entered twice: the registry shows 7,003 until an officer merges them into 7,000
VARIANTS = [("Bu ", "Ibu "), ("Pak ", "Bapak "), ("Keripik", "Kripik"), ("Warung", "Wr.")]


def demo_duplicates(*, seed: int = 37) -> int:
    """Three businesses of Gedong Tataan entered a second time, as a list from another source would (a name
    spelled another way, the same owner and phone), then the duplicate search of that district run as an
    officer runs it: the review queue has groups to decide. Returns the number of groups found."""

    admin = User.objects.filter(username="admin.pesawaran").first()
    if admin is None or DuplicateRun.objects.exists():
        return 0
    rng = random.Random(seed)
    originals = list(
        Business.objects.filter(village__code__startswith="18.09.01.", owner__phone__startswith="+62")
        .exclude(owner__user__isnull=False)
        .select_related("owner", "village")
        .order_by("pk")[:60]
    )
    for business in rng.sample(originals, min(PLANTED, len(originals))):
        name = business.name
        for old, new in VARIANTS:
            if old in name:
                name = name.replace(old, new, 1)
                break
        else:
            name = f"UD {name}"
        registry.business_create(
            actor=admin,
            data={
                "name": name,
                "village": business.village_id,
                "owner_name": business.owner.name,
                "phone": business.owner.phone,
                "sector": business.sector,
                "address": business.address,
            },
        )

    logging.getLogger("splink").setLevel(logging.ERROR)  # its warnings on training are for data scientists
    return run_search(actor=admin, region_code="18.09.01", threshold=0.9).clusters
