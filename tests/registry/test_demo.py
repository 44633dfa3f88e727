"""The demo: Pesawaran with 7,000 UMKM and ~60 cooperatives, Lampung Selatan with 500, six accounts."""

from django.core.management import call_command

from naikkelas.accounts.models import User
from naikkelas.registry import selectors
from naikkelas.registry.models import Business, Cooperative, Person


def test_it_loads_the_demo_once_with_accounts_that_see_the_right_data(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "admin.pesawaran" in out and "naikkelas-demo" in out
    assert Business.objects.filter(village__code__startswith="18.09.").count() == 7000
    assert Business.objects.filter(village__code__startswith="18.01.").count() == 500
    assert 55 <= Cooperative.objects.filter(village__code__startswith="18.09.").count() <= 65
    assert Person.objects.count() < Business.objects.count()  # some owners run two businesses

    users = {u.username: u for u in User.objects.all()}
    assert users["admin.pesawaran"].check_password("naikkelas-demo")
    assert selectors.business_list(user=users["admin.lampung"]).count() == 7500
    assert selectors.business_list(user=users["admin.pesawaran"]).count() == 7000
    assert selectors.business_list(user=users["admin.lamsel"]).count() == 500
    officer = selectors.business_list(user=users["petugas.gedongtataan"])
    assert 0 < officer.count() < 7000
    assert not officer.exclude(village__code__startswith="18.09.01.").exists()
    assert selectors.business_list(user=users["pemilik"]).count() == 1  # the owner of one business
    assert selectors.cooperative_list(user=users["koperasi"]).count() == 1
    operating = Business.objects.filter(
        status__in=["operating", "modern"], village__code__startswith="18.09."
    ).count()
    assert 2500 <= operating <= 3500  # about 3,000 still operate
    assert 800 <= Business.objects.filter(status="modern", village__code__startswith="18.09.").count() <= 1200

    call_command("load_demo")
    assert Business.objects.count() == 7500  # idempotent
