"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

import importlib
import os
import threading
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread

from naikkelas.regions.services import regions_load

CHROMIUM = os.getenv("NAIKKELAS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


CSP_VIOLATIONS: list[str] = []


def _watch_csp(message) -> None:
    text = message.text
    if "Content Security Policy" in text or "Content-Security-Policy" in text:
        CSP_VIOLATIONS.append(f"{message.location.get('url', '')}: {text}")


class CheckedBrowser:
    """The browser, with every context it opens listening for Content-Security-Policy violations."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.on("console", _watch_csp)
        return context


@pytest.fixture(autouse=True)
def no_csp_violations():
    """Every browser test fails when a page broke the Content-Security-Policy."""
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, CSP_VIOLATIONS


class _Turn:
    """Who may use the database when the test database is SQLite in memory.

    There the live server's request threads and the test share one SQLite connection (Django passes it over), and
    two threads on one connection deadlock for good when one runs a query calling one of Django's Python functions
    (`__date`, `__year` …) while the other calls into SQLite (measured: a two-thread script on Python's sqlite3
    hangs within seconds, every thread idle). So the test holds the turn and gives it up only while it waits on the
    browser (every Playwright call goes through `SyncBase._sync`); the live server takes it for each request,
    one request at a time. A page's late request (an `hx-trigger="load"` panel) then waits for the browser's next
    call instead of running beside the test's own queries. PostgreSQL gives each thread its own connection: no turn.
    """

    lock = threading.Lock()
    held = False  # by the test's thread

    @classmethod
    def take(cls) -> None:
        cls.lock.acquire()
        cls.held = True

    @classmethod
    def give(cls) -> None:
        cls.held = False
        cls.lock.release()


def _serial(application):
    def app(environ, start_response):
        with _Turn.lock:  # the whole answer, streamed exports included, before the next request or the test
            result = application(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    return app


class _SerialServer(ThreadedWSGIServer):
    def set_app(self, application):
        super().set_app(_serial(application) if self.connections_override else application)


LiveServerThread.server_class = _SerialServer


def _shares_connection() -> bool:
    return any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all())


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        if os.getenv("NAIKKELAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright._impl._sync_base import SyncBase

    waited = SyncBase._sync

    def _sync(self, awaitable):
        if not _Turn.held:  # a call inside a call, or no turn kept
            return waited(self, awaitable)
        _Turn.give()
        try:
            return waited(self, awaitable)
        finally:
            _Turn.take()

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            if _shares_connection():
                SyncBase._sync = _sync
                _Turn.take()
            yield CheckedBrowser(browser)
            if _Turn.held:
                _Turn.give()
            SyncBase._sync = waited
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# Data the migrations ship (the scorecard, the KPI library): flushed with everything else between browser tests.
SHIPPED = [
    "naikkelas.lifecycle.migrations.0002_default_instrument",
    "naikkelas.performance.migrations.0002_default_kpis",
    "naikkelas.performance.migrations.0004_default_sops",
    "naikkelas.training.migrations.0002_default_programmes",
    "naikkelas.catalog.migrations.0002_default_categories",
]


@pytest.fixture
def e2e_regions(browser, transactional_db, regions_package):
    # Transactional tests flush the database, so each loads the two regencies it uses, and the shipped data.
    regions_load(source=regions_package, only=["18.09", "18.01"])
    for module in SHIPPED:
        importlib.import_module(module).create(django_apps, None)


PHONE = {"width": 360, "height": 740}  # a cheap Android phone's screen, in CSS pixels
# Form controls narrower than 120 px outside a scrollable table: their names and widths.
NARROW = (
    "() => [...document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "main select, main textarea')].filter(e => e.offsetParent && e.getBoundingClientRect().width < 120 "
    "&& !e.closest('.table-wrap, .overflow-auto')).map(e => (e.name || e.id) + ':' "
    "+ Math.round(e.getBoundingClientRect().width))"
)


def misfit(page) -> tuple | None:
    """What does not fit the phone on the open page: (document width, narrow controls), or None."""
    width = page.evaluate("document.documentElement.scrollWidth")
    narrow = page.evaluate(NARROW)
    return (width, narrow[:4]) if width > PHONE["width"] or narrow else None


@pytest.fixture
def phone_page(browser, e2e_regions):
    """A page in a 360-px phone's browser (touch, mobile), Indonesian."""
    context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(browser, e2e_regions):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
