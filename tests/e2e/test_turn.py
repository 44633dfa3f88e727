"""The live server and the test take turns on SQLite's shared in-memory connection (tests/e2e/conftest.py, _Turn):
a request that reaches the server while the test runs its own code waits until the test waits on the browser."""

import threading
import time
import urllib.request

import pytest
from django.db import connection

from tests.e2e.conftest import _Turn

pytestmark = pytest.mark.e2e


def test_a_request_waits_for_the_test_to_wait_on_the_browser(page, live_server):
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        pytest.skip("each thread has its own connection here")
    assert _Turn.held
    answered = threading.Event()

    def fetch():
        with urllib.request.urlopen(f"{live_server.url}/masuk/", timeout=30) as response:  # noqa: S310 - own server
            assert response.status == 200
        answered.set()

    late = threading.Thread(target=fetch, daemon=True)
    late.start()
    time.sleep(0.5)
    assert not answered.is_set()  # the test's turn: the server waits
    page.wait_for_timeout(1000)  # the test waits on the browser: the server answers meanwhile
    late.join(timeout=10)
    assert answered.is_set() and _Turn.held
