"""The Content-Security-Policy in a real browser: the pages run under it (every browser test fails on a
violation, see conftest.no_csp_violations), and what it forbids is refused and noticed."""

import pytest

from naikkelas.accounts.constants import Role
from naikkelas.regions.models import Region
from tests.conftest import make_user
from tests.e2e import conftest as e2e
from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def test_an_injected_inline_script_is_refused_and_the_violation_noticed(page, live_server):
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    log_in(page, live_server, "admin.pesawaran")
    header = page.request.get(f"{live_server.url}/usaha/").headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in header and "object-src 'none'" in header
    # What an attacker's stored text would try: an inline handler and an inline script without the nonce.
    page.evaluate("""() => {
        const s = document.createElement('script'); s.textContent = 'window.pwned = 1'; document.body.append(s);
        const b = document.createElement('button'); b.id = 'x'; b.setAttribute('onclick', 'window.pwned = 2');
        document.body.append(b);
    }""")
    page.click("#x")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.pwned") is None
    assert any("Content Security Policy" in v for v in e2e.CSP_VIOLATIONS)
    e2e.CSP_VIOLATIONS.clear()  # noticed: this test wanted them


def test_the_api_documentation_works_without_the_internet(page, live_server):
    """Swagger UI comes from the app's own static files: every request the page makes stays on the server."""
    make_user("admin.pesawaran", Role.REGENCY_ADMIN, Region.objects.get(code="18.09"))
    log_in(page, live_server, "admin.pesawaran")
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.url}/api/v1/")  # the API's own address opens its documentation
    assert page.url.endswith("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "naikkelas API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # the operations, read from the schema
    assert asked and all(url.startswith(live_server.url) for url in asked), asked
