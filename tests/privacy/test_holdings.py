"""What naikkelas holds about a person (UU PDP Pasal 7 and 32): every model with a path to a person is found, a
person's copy holds their records whole and nothing of anyone else, and only they and their office get it."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import ForeignKey

from naikkelas.core.models import AuditLog
from naikkelas.lifecycle.models import VerificationVisit
from naikkelas.performance.models import Entry
from naikkelas.privacy import holdings, services
from naikkelas.registry.models import Business, Person


def _reach_by_foreign_keys() -> set[str]:
    """Computed the other way round from the walk: models whose own foreign keys lead, step by step, to a
    person (a fixed point over every model's concrete keys, link tables included)."""
    models = [
        m for m in apps.get_models(include_auto_created=True) if m._meta.app_label not in holdings.NOT_WALKED
    ]
    found = {Person._meta.label}
    grew = True
    while grew:
        grew = False
        for model in models:
            if model._meta.label in found:
                continue
            targets = {
                f.remote_field.model._meta.label
                for f in model._meta.concrete_fields
                if isinstance(f, ForeignKey)
            }
            # A many-to-many field on this model to a found one: its link rows lead to a person as well.
            targets |= {f.remote_field.model._meta.label for f in model._meta.many_to_many}
            if targets & found:
                found.add(model._meta.label)
                grew = True
    return found


def test_the_walk_finds_every_model_with_a_path_to_a_person():
    walked = holdings.walked_models()
    assert set(walked) == _reach_by_foreign_keys()
    for own in ("registry.Business", "lifecycle.VerificationVisit", "performance.Entry", "training.Registration",
                "financing.Payment", "catalog.Product"):  # fmt: skip
        assert walked[own] == "own", own
    assert walked["opportunities.Opportunity"] == "reference"  # a buyer's tender: by number only
    assert walked["opportunities.PartnershipSale"] == "beyond"  # a partnership's, not one member's


@pytest.fixture
def demo(db):
    with time_machine.travel(datetime(2030, 2, 28, 10, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        call_command("load_demo", scale=0.02, stdout=io.StringIO())


@pytest.mark.slow
def test_an_owners_copy_holds_their_records_and_nothing_of_anyone_else(demo, client):
    person = Person.objects.get(user__username="pemilik")
    theirs = set(Business.all_objects.filter(owner=person).values_list("pk", flat=True))
    visits = VerificationVisit.objects.filter(business__in=theirs).count()
    entries = Entry.objects.filter(business__in=theirs).count()
    assert theirs and visits and entries  # a copy worth checking

    client.force_login(person.user)
    page = client.get("/privasi/data-saya/").content.decode()
    assert "Data saya" in page and 'id="copy-json"' in page
    response = client.post("/privasi/data-saya/salinan.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    copy = json.loads(response.content)
    records = copy["records"]
    assert [p["id"] for p in records["registry.Person"]] == [person.pk]
    assert {b["id"] for b in records["registry.Business"]} == theirs
    assert len(records["lifecycle.VerificationVisit"]) == visits
    assert len(records["performance.Entry"]) == entries
    for label, rows in records.items():  # every row with a business is one of theirs
        for row in rows:
            if "business" in row and row["business"] is not None:
                assert row["business"] in theirs, (label, row)
    text = response.content.decode()
    assert "nik_encrypted" not in text and "nik_hash" not in text and "search_text" not in text
    others = Person.objects.exclude(pk=person.pk).exclude(merged_into=person)
    for other in others.exclude(phone="")[:300]:  # no one else's phone or name in it
        assert other.phone not in text
    for other in others.filter(name__regex=r"^\w+ \w+ \w+")[:300]:
        assert other.name not in text
    assert copy["account"]["username"] == "pemilik"
    assert all("by" in e and "actor" not in e for e in copy["history"])
    exported = AuditLog.objects.filter(
        object_type="registry.person", object_id=str(person.pk), action="export"
    )
    assert exported.get().after["rows"] == sum(len(rows) for rows in records.values())

    lines = list(
        csv.reader(io.StringIO(client.post("/privasi/data-saya/salinan.csv").content.decode("utf-8-sig")))
    )
    assert lines[0] == ["bagian", "jenis", "nomor", "kolom", "nilai"]
    assert {row[2] for row in lines if row[:2] == ["data", "registry.Business"]} == {str(pk) for pk in theirs}


@pytest.mark.django_db
def test_only_the_person_and_their_office_get_the_copy(businesses, personas, client):
    owner = businesses["gedong"].owner
    other = businesses["lamsel"].owner
    assert services.personal_copy(actor=personas["owner"], person=owner).records["registry.Person"][0][
        "id"
    ] == (owner.pk)
    assert services.personal_copy(actor=personas["admin_pesawaran"], person=owner).count() >= 2
    for who, person in (("owner", other), ("admin_lamsel", owner), ("admin_pesawaran", other),
                        ("coop_manager", owner), ("outsider", owner)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.personal_copy(actor=personas[who], person=person)
    client.force_login(personas["admin_lamsel"])
    assert client.post(f"/privasi/orang/{owner.pk}/salinan.json").status_code == 403
    assert client.get(f"/privasi/orang/{owner.pk}/salinan.json").status_code == 405  # never by a link
    client.force_login(personas["admin_pesawaran"])
    response = client.post(f"/privasi/orang/{owner.pk}/salinan.csv")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    client.force_login(personas["outsider"])  # no person behind this account: nothing held, nothing to copy
    assert 'id="no-person"' in client.get("/privasi/data-saya/").content.decode()
    assert client.post("/privasi/data-saya/salinan.json").status_code == 404


@pytest.mark.django_db
def test_a_name_typed_as_a_formula_stays_text_in_the_csv(businesses, personas):
    owner = businesses["gedong"].owner
    Person.objects.filter(pk=owner.pk).update(name='=HYPERLINK("http://x")')
    text = services.as_csv(services.personal_copy(actor=personas["owner"], person=owner)).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
