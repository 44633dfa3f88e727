"""Sessions end when left idle; API tokens expire, are listed and revoked on the user's page; DEBUG is off
unless set."""

import re
from datetime import datetime, timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from naikkelas.accounts.models import ApiToken
from naikkelas.accounts.services import api_token_get_or_create
from tests.test_settings import _manage

START = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.get_current_timezone())


def test_an_office_session_ends_after_30_idle_minutes_an_owners_later(personas, businesses):
    staff, owner = Client(), Client()
    with time_machine.travel(START, tick=False):
        staff.force_login(personas["admin_pesawaran"])
        owner.force_login(personas["owner"])
        assert staff.get("/usaha/").status_code == 200 and owner.get("/usaha/").status_code == 200
    with time_machine.travel(START + timedelta(minutes=29), tick=False):
        assert staff.get("/usaha/").status_code == 200  # activity keeps it alive
    with time_machine.travel(START + timedelta(minutes=29 + 31), tick=False):
        gone = staff.get("/usaha/")
        assert gone.status_code == 302 and gone["Location"].startswith("/masuk/?next=")
        assert staff.get("/usaha/").status_code == 302  # logged out, not only redirected once
        assert owner.get("/usaha/").status_code == 200  # an owner's phone stays logged in longer
    with time_machine.travel(START + timedelta(days=8), tick=False):
        assert owner.get("/usaha/").status_code == 302


def test_tokens_expire_and_are_listed_and_revoked_on_the_users_page(personas, businesses):
    with time_machine.travel(START, tick=False):
        web = Client()
        web.force_login(personas["admin_pesawaran"])
        made = web.post("/akun/token/", {"name": "rekap SIDT", "days": "30"}).content.decode()
        key = re.search(r'<article id="new-key">.*?<code[^>]*>(nk_[^<]+)</code>', made, re.S).group(1)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get("/api/v1/businesses").status_code == 200
        assert "rekap SIDT" in web.get("/akun/token/").content.decode()
        bad = web.post("/akun/token/", {"name": "", "days": "1000"}).content.decode()
        assert "Nama:" in bad and "Berlaku:" in bad
    with time_machine.travel(START + timedelta(days=31), tick=False):
        assert api.get("/api/v1/businesses").status_code == 401  # expired
        cli = api_token_get_or_create(user=personas["admin_pesawaran"])  # the command makes a fresh one
        assert (
            cli != key
            and Client(HTTP_AUTHORIZATION=f"Bearer {cli}").get("/api/v1/businesses").status_code == 200
        )
        token = ApiToken.objects.get(name="cli")
        web.force_login(personas["admin_pesawaran"])
        other = Client()
        other.force_login(personas["admin_lamsel"])
        assert other.post(f"/akun/token/{token.pk}/cabut/").status_code == 404  # not theirs
        web.post(f"/akun/token/{token.pk}/cabut/")
        assert Client(HTTP_AUTHORIZATION=f"Bearer {cli}").get("/api/v1/businesses").status_code == 401
        page = web.get("/akun/token/").content.decode()
        assert "Dicabut" in page and "Kedaluwarsa" in page


def test_debug_is_off_unless_it_is_set():
    result = _manage("check", env_extra={})
    assert result.returncode != 0 and "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_progress_bar_polling_is_not_activity(personas, businesses):
    """A page left open with a progress bar polling does not keep an office session alive, and its polls write
    no session (a long import on SQLite holds the only write lock)."""
    staff = Client()
    poll = {"HTTP_X_NAIKKELAS_POLL": "1", "HTTP_HX_REQUEST": "true"}
    with time_machine.travel(START, tick=False):
        staff.force_login(personas["admin_pesawaran"])
        assert staff.get("/usaha/").status_code == 200
        seen = staff.session["seen_at"]
    with time_machine.travel(START + timedelta(minutes=20), tick=False):
        assert staff.get("/usaha/", **poll).status_code == 200
        assert staff.session["seen_at"] == seen  # not written
    with time_machine.travel(START + timedelta(minutes=31), tick=False):
        gone = staff.get("/usaha/", **poll)
        assert gone.status_code == 204 and gone["HX-Redirect"].startswith("/masuk/?next=")
