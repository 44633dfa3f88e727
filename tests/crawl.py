"""Every page a persona can reach: a crawl from the Beranda through the links of each page, one address per page
kind (URL name), with what each page shows checked for English left untranslated and choice values shown raw."""

import html
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.urls import Resolver404, resolve

HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#]+)""")
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# Addresses that are files, side effects or other people's tools, not pages to read.
SKIP = re.compile(
    r"^/(static|media|api)/|^/keluar/|^/i18n/|\.(xlsx|csv|pdf|zip|png|jpg|json|svg|txt)(\?|$)|"
    r"[?&](format|unduh)=|/masalah\.xlsx$|/sertifikat/|/poster/|/qr/"
)
# Words of the English interface that have no place in an Indonesian page (whole words, case as written).
ENGLISH = (
    "Save",
    "Cancel",
    "Delete",
    "Search",
    "Previous",
    "Next",
    "Businesses",
    "Cooperatives",
    "Training",
    "Registered",
    "Operating",
    "Updated",
    "Created",
    "Download",
    "Upload",
    "Submit",
    "Month",
    "Year",
    "None yet",
    "No data",
    "Log out",
    "Sign in",
    "Show",
    "Edit",
    "Apply",
    "Approve",
    "Reject",
    "Details",
    "Add",
    "Remove",
    "Members",
    "Products",
    "Visits",
    "Settings",
    "Page",
)
# None of these is a word of Indonesian ("Total", which is, is left out).
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")


def raw_choice_values() -> set[str]:
    """Stored values of every choice field whose Indonesian label is another word: shown alone, they are raw."""
    from django.utils import translation

    values = set()
    with translation.override("id"):
        for model in apps.get_models():
            if not model.__module__.startswith("naikkelas."):
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if isinstance(value, str) and len(value) > 2 and value.lower() != str(label).lower():
                        values.add(value)
    # Stored values that are also everyday Indonesian words the pages print for other reasons ("berbeda": a
    # duplicate group's field that differs).
    values -= {"berbeda"}
    return values


def texts(page: str) -> list[str]:
    """The visible text pieces of a page, one per element."""
    body = page.split("<body", 1)[-1]
    return [t for t in (html.unescape(p).strip() for p in TAG.split(body) if p) if t]


def page_problems(page: str, raw: set[str]) -> list[str]:
    found = []
    for text in texts(page):
        if text in raw:
            found.append(f"raw choice value {text!r}")
        match = ENGLISH_RE.search(text)
        if match:
            found.append(f"English {match.group(0)!r} in {text[:60]!r}")
    return found


def crawl(client, start: str = "/dasbor/beranda/", *, limit: int = 150) -> dict[str, str]:
    """{url name: the first address of it reached} for every page the client can open from `start`, and the
    pages that did not answer 200 under "!" + the address."""
    seen_names: dict[str, str] = {}
    queue, queued = deque([start]), {start}
    while queue and len(seen_names) < limit:
        url = queue.popleft()
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            seen_names["!" + url] = "404"
            continue
        if name in seen_names:
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            seen_names["!" + url] = str(response.status_code)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue  # a download
        seen_names[name] = url
        for href in HREF.findall(response.content.decode()):
            target = urljoin(url, html.unescape(href))
            parts = urlsplit(target)
            if parts.scheme and parts.netloc not in ("testserver", ""):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(local) or local in queued:
                continue
            queued.add(local)
            queue.append(local)
    return seen_names
