"""Duplicate persons: the same owner typed in by several lists (with and without honorifics, words swapped, the
phone with and without +62, the NIK in one list only) is found and merged into one person — businesses, training
registrations, login account and NIK go to the survivor — and undo gives every record back as it was. A husband
and wife who share a phone and an address are not proposed."""

import random
from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from naikkelas.core import personal
from naikkelas.intake import dedupe, duplicates
from naikkelas.intake import merge as merging
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, DuplicateRun, NotSame, RecordKind
from naikkelas.registry.models import Business, Person
from naikkelas.registry.search import search_text_for
from naikkelas.training.models import Cohort, Programme, Registration

GIVEN = [
    "Siti",
    "Budi",
    "Ahmad",
    "Ratna",
    "Wayan",
    "Aini",
    "Joko",
    "Dewi",
    "Sri",
    "Eko",
    "Rina",
    "Yusuf",
    "Maya",
    "Agus",
    "Fitri",
    "Hendra",
    "Lina",
    "Rudi",
]
FAMILY = [
    "Rahayu",
    "Santoso",
    "Hidayat",
    "Lestari",
    "Saputra",
    "Wulandari",
    "Pratama",
    "Kurniawan",
    "Susanti",
    "Nugroho",
    "Setiawan",
    "Purnomo",
]
HONOR = ["Ibu ", "Bu ", "Pak ", "Bpk. ", "H. ", "Hj. "]


def generated_persons(seed=4, people=300, couples=40):
    rng = random.Random(seed)
    rows, truth, uid = [], {}, 0
    for e in range(people):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        phone, born = (
            f"+62812{e:07d}",
            date(1960 + rng.randint(0, 40), rng.randint(1, 12), rng.randint(1, 28)),
        )
        village = f"18.09.{rng.randint(1, 11):02d}.{2000 + rng.randint(1, 15)}"
        for k in range(rng.choice([1, 1, 2, 2, 3])):
            uid += 1
            variant = (
                name
                if k == 0
                else rng.choice(
                    [
                        f"{rng.choice(HONOR)}{name}",
                        " ".join(reversed(name.split())),
                        name.upper(),
                        name + " S.Pd",
                    ]
                )
            )
            rows.append(
                {
                    "id": uid,
                    "name": variant,
                    "nik_hash": f"nik{e}" if k == 0 and rng.random() < 0.5 else None,
                    "phone": phone if rng.random() < 0.85 else None,
                    "birth_date": born if k == 0 or rng.random() < 0.3 else None,
                    "village": village,
                    "address": f"Jl. Pahlawan No. {e}",
                }
            )
            truth[uid] = e
    for c in range(couples):  # husband and wife: one phone, one address, two names
        phone, village = f"+62813{c:07d}", f"18.09.{rng.randint(1, 11):02d}.{2000 + rng.randint(1, 15)}"
        for k, given in enumerate(rng.sample(GIVEN, 2)):
            uid += 1
            rows.append(
                {
                    "id": uid,
                    "name": f"{given} {rng.choice(FAMILY)}",
                    "nik_hash": None,
                    "phone": phone,
                    "birth_date": None,
                    "village": village,
                    "address": f"Dsn. Sukamaju RT 0{c % 9}",
                }
            )
            truth[uid] = f"couple {c} person {k}"
    return rows, truth


def test_it_finds_the_same_person_and_leaves_a_couple_apart():
    rows, truth = generated_persons()
    result = dedupe.find(rows, threshold=0.9, kind=dedupe.PERSON)
    found = {(p["a"], p["b"]) for p in result.pairs}
    right = {pair for pair in found if truth[pair[0]] == truth[pair[1]]}
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    precision, recall = len(right) / len(found), len(right) / true_pairs
    assert precision >= 0.97 and recall >= 0.9, (precision, recall)
    assert [p for p in found if str(truth[p[0]]).startswith("couple")] == []


@pytest.fixture
def three_siti(villages, personas):
    """One woman typed in by three lists: the census (NIK, no phone), a training sheet ("Ibu Siti Rahayu", the
    phone), a bank's list ("Rahayu Siti", the phone without +62); her husband shares her phone."""
    gedong = villages["gedong"]
    census = Person.objects.create(name="Siti Rahayu", **Person.nik_fields("1809015507850001"))
    sheet = Person.objects.create(name="Ibu Siti Rahayu", phone="+6281277788899", email="siti@contoh.id")
    bank = Person.objects.create(name="Rahayu Siti", phone="+6281277788899", user=personas["owner"])
    husband = Person.objects.create(name="Budi Santoso", phone="+6281277788899")
    made = {}
    for key, person, name in (
        (0, census, "Keripik Pisang Bu Siti"),
        (1, sheet, "Keripik Pisang Siti"),
        (2, bank, "Tapis Siti"),
        (3, husband, "Bengkel Motor Budi"),
    ):
        made[key] = Business.objects.create(
            name=name,
            owner=person,
            village=gedong,
            address="Jl. Pahlawan 5",
            search_text=search_text_for(name=name, owner_name=person.name, nib=""),
        )
    programme = Programme.objects.create(name="Kemasan", topic="kemasan")
    cohort = Cohort.objects.create(
        programme=programme, name="Kemasan 2026", region=gedong, capacity=20, starts_on=date(2026, 3, 1)
    )
    Registration.objects.create(cohort=cohort, person=sheet, business=made[1], status="passed")
    return census, sheet, bank, husband, made


@pytest.mark.django_db
def test_the_search_proposes_the_persons_from_the_registry(three_siti, personas, villages):
    census, sheet, bank, husband, _made = three_siti
    rows, truth = generated_persons(
        seed=8, people=150, couples=20
    )  # the rest of the regency: the model's data
    person_of = {}
    for row in rows:
        person = Person.objects.create(
            name=row["name"], phone=row["phone"] or "", birth_date=row["birth_date"]
        )
        person_of[person.pk] = truth[row["id"]]
        Business.objects.create(
            name=f"Usaha {row['id']}",
            owner=person,
            address=row["address"],
            village=villages["gedong" if row["village"] < "18.09.06" else "pesawaran_other"],
        )
    run = duplicates.run_search(
        actor=personas["admin_pesawaran"], region_code="18.09", kinds=(RecordKind.PERSON,)
    )
    assert run.persons == len(rows) + 4 and run.records == 0
    groups = [c.members for c in DuplicateCluster.objects.filter(run=run, kind=RecordKind.PERSON)]
    assert len(groups) > 20
    siti = next(g for g in groups if sheet.pk in g)
    assert {sheet.pk, bank.pk} <= set(siti)
    assert not any(husband.pk in g for g in groups)  # same phone, another name
    generated = [g for g in groups if g[0] in person_of]
    wrong = [g for g in generated if len({person_of[m] for m in g}) > 1]
    assert len(wrong) <= len(generated) * 0.03, wrong


@pytest.mark.django_db
def test_merging_persons_keeps_everything_and_undo_gives_it_back(three_siti, personas):
    census, sheet, bank, husband, made = three_siti
    admin = personas["admin_pesawaran"]

    def state(person):
        return person.name, person.phone, person.email, person.nik_hash, person.user_id, person.birth_date

    before = {p.pk: state(p) for p in (census, sheet, bank)}
    run = DuplicateRun.objects.create(region_code="18.09", threshold="0.9")
    members = sorted([census.pk, sheet.pk, bank.pk])
    cluster = DuplicateCluster.objects.create(
        run=run,
        kind=RecordKind.PERSON,
        members=members,
        probability="0.98",
        region_code=made[0].village_id,
        pairs=[],
    )
    with pytest.raises(PermissionDenied):
        merging.person_merge(actor=personas["admin_lamsel"], cluster=cluster, survivor_id=sheet.pk)
    merge = merging.person_merge(
        actor=admin, cluster=cluster, survivor_id=sheet.pk, choices={"name": census.pk}
    )
    sheet.refresh_from_db()
    # The survivor: the census's name and NIK, its own phone and e-mail, the bank list's login account.
    assert (sheet.name, sheet.phone, sheet.email) == ("Siti Rahayu", "+6281277788899", "siti@contoh.id")
    assert sheet.nik_hash == personal.keyed_hash("1809015507850001") and sheet.get_nik() == "1809015507850001"
    assert sheet.user_id == personas["owner"].pk and sheet.birth_date == date(1985, 7, 15)
    assert set(Business.objects.filter(owner=sheet).values_list("pk", flat=True)) == {
        made[0].pk,
        made[1].pk,
        made[2].pk,
    }
    assert Registration.objects.get().person_id == sheet.pk
    assert "siti rahayu" in Business.objects.get(pk=made[2].pk).search_text
    assert set(Person.objects.values_list("pk", flat=True)) == {sheet.pk, husband.pk}  # absorbed: hidden
    assert Person.all_objects.get(pk=census.pk).merged_into_id == sheet.pk
    assert DuplicateCluster.objects.get(pk=cluster.pk).status == ClusterStatus.MERGED

    merging.person_merge_undo(actor=admin, merge=merge)
    for person in (census, sheet, bank):
        person.refresh_from_db()
        assert state(person) == before[person.pk] and person.merged_into_id is None
    assert Business.objects.get(pk=made[2].pk).owner_id == bank.pk
    assert Registration.objects.get().person_id == sheet.pk
    assert Person.objects.count() == 4
    with pytest.raises(ValidationError):
        merging.person_merge_undo(actor=admin, merge=merge)


@pytest.mark.django_db
def test_two_nik_or_two_accounts_are_refused_and_not_the_same_is_remembered(three_siti, personas):
    census, sheet, bank, _husband, _made = three_siti
    admin = personas["admin_pesawaran"]
    bank.set_nik("1809015507850002")
    bank.save()
    run = DuplicateRun.objects.create(region_code="18.09", threshold="0.9")
    cluster = DuplicateCluster.objects.create(
        run=run,
        kind=RecordKind.PERSON,
        members=sorted([census.pk, bank.pk]),
        probability="0.95",
        region_code=_made[0].village_id,
        pairs=[],
    )
    with pytest.raises(ValidationError, match="NIK"):
        merging.person_merge(actor=admin, cluster=cluster, survivor_id=census.pk)
    assert Person.all_objects.get(pk=bank.pk).merged_into_id is None  # nothing half-done
    duplicates.cluster_not_same(actor=admin, cluster=cluster)
    assert NotSame.objects.filter(
        kind=RecordKind.PERSON, a=min(census.pk, bank.pk), b=max(census.pk, bank.pk)
    ).exists()
    assert not NotSame.objects.filter(kind=RecordKind.BUSINESS).exists()  # ids of persons are not businesses'
