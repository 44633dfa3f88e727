"""An officer cleans a regency's list that three sources filled: starts the duplicate search from the page, merges
a business group choosing the phone of the other record, undoes it, says another group is not the same (and the
next search does not propose it again), and merges two records of one owner; on a 360-px phone."""

from urllib.parse import urlencode

import pytest

from naikkelas.accounts.constants import Role
from naikkelas.intake.models import ClusterStatus, DuplicateCluster, NotSame, RecordKind
from naikkelas.regions.models import Region
from naikkelas.registry.models import Business, Person
from naikkelas.registry.search import search_text_for
from tests.conftest import first_village, make_user
from tests.e2e.test_browser import SHOTS, log_in
from tests.intake.test_dedupe import _owner, generated

pytestmark = pytest.mark.e2e


def _registry():
    """A regency's list with known duplicates (generated) and Bu Siti's business typed in twice."""
    gedong, other = first_village("18.09.01"), first_village("18.09.02")
    rows, _truth = generated(seed=13, entities=150, households=15)
    for row in rows:
        Business.objects.create(
            name=row["name"],
            owner=_owner(row),
            address=row["address"],
            phone=row["phone"] or "",
            village=gedong if row["village"] < "18.09.06" else other,
            search_text=row["name"].lower(),
        )
    made = []
    for name, owner, phone in (
        ("Keripik Pisang Bu Siti", "Siti Rahayu", ""),
        ("UD Kripik Pisang Ibu Siti", "Ibu Siti Rahayu", "+6281277788899"),
    ):
        person = Person.objects.create(name=owner, phone=phone)
        made.append(
            Business.objects.create(
                name=name,
                owner=person,
                village=gedong,
                phone=phone,
                address="Jl. Pahlawan No. 5",
                search_text=search_text_for(name=name, owner_name=owner, nib=""),
            )
        )
    return made


def _group_of(business_id: int) -> DuplicateCluster:
    return next(
        c
        for c in DuplicateCluster.objects.filter(status=ClusterStatus.OPEN, kind=RecordKind.BUSINESS)
        if business_id in c.members
    )


@pytest.mark.slow
def test_an_officer_cleans_a_merged_list(page, live_server):
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    siti, copy = _registry()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "admin.pesawaran")
    page.goto(f"{live_server.url}/impor/")
    page.click("#duplicates-link")
    assert "Tidak ada kelompok untuk diperiksa" in page.inner_text("main")
    page.click("summary:has-text('Cari data ganda')")
    page.click("#search-form button:has-text('Cari')")  # runs as a background task (at once in tests)
    page.wait_for_selector(".duplicate-group")
    group = _group_of(siti.pk)
    assert set(group.members) >= {siti.pk, copy.pk}
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )  # no sideways page scroll
    page.select_option("#filter-form select[name=kind]", RecordKind.BUSINESS)
    page.fill("#filter-form input[name=q]", "kripik siti")  # the officer looks for Bu Siti's group
    page.click("#filter-form button")
    page.wait_for_selector(f"#group-{group.pk}")
    assert (
        page.locator(".duplicate-group").count()
        < DuplicateCluster.objects.filter(status=ClusterStatus.OPEN).count()
    )
    card = page.locator(f"#group-{group.pk}")
    assert "Usaha" in card.locator("header").inner_text()
    assert card.locator("tr.differ th:has-text('Telepon')").count() == 1  # the phones differ, marked
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "duplicates-queue.png"), full_page=False)

    card.locator(f"input[name=survivor][value='{siti.pk}']").check()
    card.locator(f"input[name=keep_phone][value='{copy.pk}']").check()  # the phone only the copy had
    card.locator("button:has-text('Gabungkan jadi satu')").click()
    page.wait_for_selector(".messages:has-text('Digabung menjadi satu usaha')")
    siti.refresh_from_db()
    assert siti.phone == "+6281277788899" and not Business.objects.filter(pk=copy.pk).exists()
    assert page.locator(f"#group-{group.pk}").count() == 0

    page.locator("#merges li", has_text="Keripik Pisang Bu Siti").locator(
        "button:has-text('Batalkan')"
    ).click()
    page.wait_for_selector(".messages:has-text('Penggabungan dibatalkan')")
    siti.refresh_from_db()
    assert siti.phone == "" and Business.objects.filter(pk=copy.pk).exists()
    assert page.locator(f"#group-{group.pk}").count() == 1  # back in the queue

    other = next(
        c
        for c in DuplicateCluster.objects.filter(status=ClusterStatus.OPEN, kind=RecordKind.BUSINESS)
        if c.pk != group.pk
    )
    page.goto(f"{live_server.url}/impor/ganda/?" + urlencode({"q": other.names.split(" | ")[0]}))
    page.locator(f"#group-{other.pk} button:has-text('Bukan usaha yang sama')").click()
    page.wait_for_selector(".messages:has-text('Dicatat')")
    assert NotSame.objects.filter(kind=RecordKind.BUSINESS, a=other.members[0], b=other.members[1]).exists()
    page.click("summary:has-text('Cari data ganda')")
    page.click("#search-form button:has-text('Cari')")
    page.wait_for_selector(".messages:has-text('Pencarian data ganda')")
    proposed = [set(c.members) for c in DuplicateCluster.objects.filter(status=ClusterStatus.OPEN)]
    assert not any(set(other.members) <= members for members in proposed)  # never proposed again

    people = next(
        (
            c
            for c in DuplicateCluster.objects.filter(status=ClusterStatus.OPEN, kind=RecordKind.PERSON)
            if siti.owner_id in c.members
        ),
        None,
    )
    assert people is not None and copy.owner_id in people.members  # "Siti Rahayu" and "Ibu Siti Rahayu"
    page.goto(f"{live_server.url}/impor/ganda/?kind={RecordKind.PERSON}&q=siti")
    card = page.locator(f"#group-{people.pk}")
    assert (
        "Orang" in card.locator("header").inner_text()
        and "Keripik Pisang Bu Siti" in card.locator("table").inner_text()
    )
    card.locator(f"input[name=survivor][value='{siti.owner_id}']").check()
    card.locator(f"input[name=keep_phone][value='{copy.owner_id}']").check()
    card.locator("button:has-text('Gabungkan jadi satu')").click()
    page.wait_for_selector(".messages:has-text('Digabung menjadi satu orang')")
    owner = Person.objects.get(pk=siti.owner_id)
    assert owner.phone == "+6281277788899"
    assert set(owner.businesses.values_list("pk", flat=True)) >= {siti.pk, copy.pk}
