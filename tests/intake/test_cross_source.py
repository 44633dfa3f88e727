"""Duplicates across sources: an office's own list and the ministry's SIDT export of the same regency. The import
of the second warns of probable duplicates; the duplicate search then links the records that are one business
(other spellings, missing NIKs, phones in other formats) and keeps apart a household's businesses that share a
phone and a village."""

import random

import pytest

from naikkelas.intake import duplicates
from naikkelas.intake.models import DuplicateCluster, RecordKind
from naikkelas.intake.services import import_businesses
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business
from tests.intake.files import office_workbook
from tests.intake.sidt import sidt_csv, sidt_row

pytestmark = pytest.mark.django_db

TRADES = ["Keripik Pisang", "Kopi Robusta", "Kue Basah", "Tenun Tapis", "Bengkel Motor", "Ikan Asin", "Anyaman",
          "Gula Aren", "Sambal Lampung", "Tempe", "Jamu", "Roti"]  # fmt: skip
OWNERS = ["Siti", "Budi", "Ani", "Rudi", "Wati", "Joko", "Sri", "Agus", "Dewi", "Hendra", "Yanti", "Bambang",
          "Ratna", "Slamet", "Nur", "Eko"]  # fmt: skip


def _businesses(rng, villages):
    made = []
    for n in range(60):
        owner = (
            f"{rng.choice(OWNERS)} {rng.choice(['Rahayu', 'Santoso', 'Wijaya', 'Lestari', 'Saputra'])} {n}"
        )
        made.append({
            "name": f"{rng.choice(TRADES)} {owner.split()[0]} {n}", "owner": owner, "village": rng.choice(villages),
            "nik": (f"180901{rng.randint(1, 28) + rng.choice([0, 40]):02d}{rng.randint(1, 12):02d}"
                    f"{rng.randint(60, 99)}{n + 1:04d}") if rng.random() < 0.7 else "",
            "phone": f"0812{rng.randrange(10**7, 10**8)}",
        })  # fmt: skip
    return made


def _respell(rng, name: str) -> str:
    return rng.choice(
        [name.upper(), f"UD {name}", name.replace("Keripik", "Kripik"), f"{name} Ibu", name.lower()]
    )


def test_an_office_list_and_the_sidt_export_of_the_same_regency(personas, tmp_path):
    rng = random.Random(23)
    villages = list(Region.objects.filter(code__startswith="18.09.01.", level=4).order_by("code")[:6])
    known = _businesses(rng, villages)
    office = [[n + 1, b["name"], b["owner"], b["nik"], b["phone"], "", b["village"].name, "Gedong Tataan", "", "", ""]
              for n, b in enumerate(known)]  # fmt: skip
    admin = personas["admin_pesawaran"]
    assert import_businesses(actor=admin, path=office_workbook(tmp_path / "dinas.xlsx", office)).created == 60
    again = rng.sample(known, 30)  # the survey met thirty of them again
    sidt = [sidt_row(nama_usaha=_respell(rng, b["name"]), nama_pemilik=b["owner"].upper(),
                     nik=b["nik"] if rng.random() < 0.5 else "", hp="+62 " + b["phone"][1:4] + " " + b["phone"][4:],
                     kode_desa=b["village"].code.replace(".", "")) for b in again]  # fmt: skip
    households = []
    families = [
        ("Jahit Busana", "Marni", "Warung Kopi", "Darto"),
        ("Pulsa Cell", "Tono", "Gorengan", "Surti"),
        ("Sayur Segar", "Minah", "Cukur Rambut", "Karyo"),
        ("Laundry", "Lastri", "Tambal Ban", "Parjo"),
    ]
    for h, (first, one, second, other) in enumerate(families):  # one phone, one village, two family trades
        village, phone = rng.choice(villages), f"0813{h:08d}"
        for trade, person in ((first, one), (second, other)):
            households.append(f"{trade} {person}")
            sidt.append(sidt_row(nama_usaha=f"{trade} {person}", nama_pemilik=person, hp=phone,
                                 kode_desa=village.code.replace(".", "")))  # fmt: skip
    report = import_businesses(actor=admin, path=sidt_csv(tmp_path / "sidt.csv", sidt))
    warned = [w for w in report.warnings if "mungkin sudah terdaftar" in w["reason"]]
    matched = report.updated + report.unchanged  # the same NIK and name: recognised outright
    assert len(warned) >= 0.8 * (30 - matched), (len(warned), matched)  # the rest warned of as it goes
    assert not [w for w in warned if w["value"] in households], [
        w for w in warned if w["value"] in households
    ]
    run = duplicates.run_search(actor=admin, region_code="18.09")
    # Business groups only: the search also groups persons, whose ids are another table's (they matched business
    # ids only while both tables' sequences happened to run in step).
    groups = [set(c.members) for c in DuplicateCluster.objects.filter(run=run, kind=RecordKind.BUSINESS)]
    by_name = {b.pk: b.name for b in Business.objects.all()}
    original = {b["name"]: b for b in known}
    truth = {}  # record id → the business it is
    for pk, name in by_name.items():
        plain = next((o for o in original if name.lower().removeprefix("ud ").removesuffix(" ibu") ==
                      o.lower() or name.lower().replace("kripik", "keripik").removeprefix("ud ")
                      .removesuffix(" ibu") == o.lower()), name)  # fmt: skip
        truth[pk] = plain
    linked = {frozenset((a, b)) for g in groups for a in g for b in g if a < b}
    right = {p for p in linked if len({truth[i] for i in p}) == 1}
    same = {frozenset((a, b)) for a in truth for b in truth if a < b and truth[a] == truth[b]}
    assert same, "the survey's records of known businesses were imported as new ones"
    recall, precision = len(right & same) / len(same), len(right) / max(len(linked), 1)
    # Groups are closed over their pairs, so one wrong pair costs several: measured 1.0 and 0.8 on this seed (the
    # wrong ones: two "Sambal Lampung" businesses of one village, by different owners, pulled into one group).
    assert recall >= 0.9 and precision >= 0.75, (
        recall,
        precision,
        [[by_name[i] for i in p] for p in linked - right],
    )
    household_ids = {pk for pk, name in by_name.items() if name in households}
    assert not any(len(g & household_ids) > 1 for g in groups)  # a household's two businesses stay apart
