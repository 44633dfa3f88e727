"""PDFs from HTML (WeasyPrint), cached by what they show: the same poster, certificate or statement is drawn
once, and any change to what it shows (a price, a photo, a name, a revocation) gives a new one."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def cache_key(html: str, base_url: str | None = None) -> str:
    return "pdf:" + hashlib.sha256(f"{base_url or ''}\0{html}".encode()).hexdigest()


def pdf_from_html(html: str, *, base_url: str | None = None) -> bytes:
    key = cache_key(html, base_url)
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import HTML

        pdf = HTML(string=html, base_url=base_url).write_pdf()
        cache.set(key, pdf, timeout=settings.PDF_CACHE_DAYS * 86400)
    return pdf
