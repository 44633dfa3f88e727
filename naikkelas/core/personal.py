"""Personal data: NIK parsing, encryption at rest, keyed look-up hash and masking (UU PDP 27/2022)."""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext_lazy as _

NIK_NOT_16_DIGITS = _("NIK must be exactly 16 digits.")
NIK_BAD_DATE = _("NIK digits 7–12 are not a valid birth date (DDMMYY, day + 40 for women).")
NIK_BAD_SERIAL = _("NIK serial number (last 4 digits) cannot be 0000.")


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province: str  # "18"
    regency: str  # "18.09"
    district: str  # "18.09.01"
    birth_date: date
    gender: str  # "L" or "P"
    serial: str


class NikError(ValueError):
    """A NIK that breaks its structure; the message is translatable and names what is wrong."""


def nik_clean(raw: object) -> str:
    """Digits of a NIK typed with spaces, dots or dashes."""
    return re.sub(r"[\s.\-]", "", str(raw or ""))


def nik_parse(raw: object, *, today: date | None = None) -> NikInfo:
    """Structure of a NIK: 6 digits of region, DDMMYY (+40 to the day for women), 4-digit serial."""
    nik = nik_clean(raw)
    if not re.fullmatch(r"\d{16}", nik):
        raise NikError(NIK_NOT_16_DIGITS)
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "L"
    if day > 40:
        day -= 40
        gender = "P"
    today = today or date.today()
    # Two-digit years: a year after this year's two digits must be last century.
    century = 2000 if year2 <= today.year % 100 else 1900
    try:
        birth = date(century + year2, month, day)
    except ValueError as exc:
        raise NikError(NIK_BAD_DATE) from exc
    if nik[12:] == "0000":
        raise NikError(NIK_BAD_SERIAL)
    return NikInfo(
        nik=nik,
        province=nik[0:2],
        regency=f"{nik[0:2]}.{nik[2:4]}",
        district=f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_date=birth,
        gender=gender,
        serial=nik[12:],
    )


def nik_mask(nik: str) -> str:
    """First 4 and last 4 digits shown: 1809xxxxxxxx0001."""
    if not nik:
        return ""
    return nik[:4] + "x" * (len(nik) - 8) + nik[-4:]


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"naikkelas", info=info).derive(secret.encode())


@cache
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, b"nik-encryption")))


@cache
def _hash_key(secret: str) -> bytes:
    return _derive(secret, b"nik-lookup-hash")


def secrets_in_use() -> list[str]:
    """The current key first, then the old keys that still read while `naikkelas rotate_secret` runs."""
    return [settings.NAIKKELAS_SECRET, *settings.NAIKKELAS_OLD_SECRETS]


def _ring() -> MultiFernet:
    return MultiFernet([_fernet(secret) for secret in secrets_in_use()])


def encrypt(value: str) -> str:
    return _fernet(settings.NAIKKELAS_SECRET).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypted under the current key or any old key still listed (MultiFernet): a rotation never blinds the app."""
    try:
        return _ring().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "stored personal data cannot be decrypted with the configured NAIKKELAS_SECRET"
        ) from exc


def reencrypt(token: str, secret: str | None = None) -> str:
    """The same value encrypted under the current key (or `secret`); ValueError when no key in use reads it."""
    value = decrypt(token)
    return _fernet(secret or settings.NAIKKELAS_SECRET).encrypt(value.encode()).decode()


def keyed_hash(value: str, secret: str | None = None) -> str:
    """HMAC-SHA256 of a value under the deployment's key: equal NIKs give equal hashes, nothing reversible."""
    return hmac.new(
        _hash_key(secret or settings.NAIKKELAS_SECRET), value.encode(), hashlib.sha256
    ).hexdigest()


def lookup_hashes(value: str) -> list[str]:
    """The value's hash under every key in use: during a key rotation a person is found whichever key hashed them."""
    return [keyed_hash(value, secret) for secret in secrets_in_use()]


def key_fingerprint(secret: str | None = None) -> str:
    """A short public check value of a key (a backup's manifest carries it; the key itself is never written)."""
    return hmac.new(
        _derive(secret or settings.NAIKKELAS_SECRET, b"key-fingerprint"), b"naikkelas", "sha256"
    ).hexdigest()[:16]


# NIKs out of URLs, logs and stored text ---------------------------------------------------------------------------

# A search for a NIK travels as this token (the NIK's keyed hash), never as the NIK: URLs land in access logs,
# browser history and recorded filters.
NIK_SEARCH_PREFIX = "nik:"
_NIK_TOKEN_RE = re.compile(r"nik:([0-9a-f]{64})")
# Runs of 14 to 18 digits (spaces, dots and dashes allowed between them): a NIK, or one mistyped by a digit or two.
# Phone numbers (at most 13 digits) and NIBs (13) are shorter.
_NIK_RUN = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){13,17}(?!\d)")


def nik_of(text: str) -> str | None:
    """The NIK when the whole text is one (separators allowed), else None."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    return digits if re.fullmatch(r"\d{16}", digits) else None


def nik_search_token(text: str) -> str:
    """A search text with a NIK in it turned into the NIK's token; any other text unchanged."""
    nik = nik_of(text)
    return NIK_SEARCH_PREFIX + keyed_hash(nik) if nik else text


def nik_hash_of_token(text: str) -> str | None:
    match = _NIK_TOKEN_RE.fullmatch((text or "").strip())
    return match.group(1) if match else None


def mask_nik_runs(value):
    """A text (or the strings inside a dict or list) with every NIK-like run of digits masked."""
    if isinstance(value, str):
        return _NIK_RUN.sub(lambda m: nik_mask(re.sub(r"\D", "", m.group(0))), value)
    if isinstance(value, dict):
        return {k: mask_nik_runs(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_nik_runs(v) for v in value]
    if isinstance(value, float) and value.is_integer() and 10**13 <= abs(value) < 10**18:
        value = int(value)  # a NIK typed into Excel is read back as a number
    if isinstance(value, int) and not isinstance(value, bool) and 10**13 <= abs(value) < 10**18:
        return mask_nik_runs(str(value))
    return value
