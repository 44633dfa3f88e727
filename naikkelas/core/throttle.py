"""Doors the public can knock on, throttled in the cache: counts per address, per target, per day.

Nothing personal is kept: a visitor is a keyed hash of their address and browser, held in the cache only until
its window ends."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from naikkelas.core import personal


def client_address(request) -> str:
    """The address a request came from (behind a proxy, the nearest one: set NAIKKELAS_PROXY_COUNT for the
    address the proxy saw, as the login lockout does)."""

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR", "")


def visitor(request) -> str:
    """A visitor, not a person: a keyed hash of the address and the browser, never stored in the database."""
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    return personal.keyed_hash(f"visitor|{client_address(request)}|{agent}")[:32]


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit of `key`; False once `limit` hits fell within `seconds` of the first (the window starts at
    the first hit, so the same tries give the same answer whatever the clock says)."""
    name = f"throttle:{key}"
    now = time.time()
    count, ends = cache.get(name) or (0, 0.0)
    if ends <= now:
        count, ends = 0, now + seconds
    count += 1
    cache.set(name, (count, ends), timeout=max(1, int(ends - now) + 1))
    return count <= limit


def first_today(request, what: str) -> bool:
    """True the first time this visitor does `what` today (a product view, a WhatsApp click)."""
    day = timezone.localdate().isoformat()
    return cache.add(f"once:{what}:{day}:{visitor(request)}", 1, timeout=86400)


def registration_allowed(request, *, visitor_key: str, place_key: str) -> bool:
    """A public sign-up (a training's, an event's): per visitor and per place, each window counted apart (settings
    TRAINING_REGISTRATIONS_PER_IP and _PER_COHORT, ten minutes)."""
    if not allow(
        f"{visitor_key}:{visitor(request)}", limit=settings.TRAINING_REGISTRATIONS_PER_IP, seconds=600
    ):
        return False  # a visitor's refused tries do not use up the place's own allowance
    return allow(place_key, limit=settings.TRAINING_REGISTRATIONS_PER_COHORT, seconds=600)
