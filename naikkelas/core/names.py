"""How Indonesian business and person names and addresses are compared: business forms (UD, CV, Toko …) and
honorifics (Ibu, Pak, H., Hj. …) dropped, spelling variants made one, words in a fixed order, address
abbreviations written out. Used by the duplicate search (intake.dedupe) and the check at entry (registry)."""

import re
from difflib import SequenceMatcher

PREFIXES = {"ud", "cv", "pt", "toko", "warung", "usaha", "kedai", "kios", "rm", "rumah", "makan", "home", "industri",
            "ukm", "umkm", "koperasi", "kopontren", "bumdes"}  # fmt: skip
HONORIFICS = {"ibu", "bu", "bpk", "bapak", "pak", "h", "hj", "haji", "hajjah", "mbak", "mas", "sdr", "sdri", "ny",
              "nyonya", "tn", "tuan", "dr", "ir", "drs", "dra", "st", "se", "spd", "amd", "s"}  # fmt: skip
# Spellings offices use for the same word.
VARIANTS = {"kripik": "keripik", "keripk": "keripik", "krupuk": "kerupuk", "baso": "bakso", "satai": "sate",
            "coffee": "kopi", "penjahit": "jahit", "kueh": "kue"}  # fmt: skip
ADDRESS = {"jl": "jalan", "jln": "jalan", "dsn": "dusun", "ds": "desa", "kel": "kelurahan", "kec": "kecamatan",
           "gg": "gang", "no": "", "rt": "rt", "rw": "rw"}  # fmt: skip


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def name_plain(text: str) -> str:
    """The words that name the business, without forms and honorifics, spelling variants made one."""
    return " ".join(VARIANTS.get(w, w) for w in _words(text) if w not in PREFIXES and w not in HONORIFICS)


def name_key(text: str) -> str:
    """The same words in a fixed order: "Siti Keripik Pisang" and "Keripik Pisang Siti" agree."""
    return " ".join(sorted(name_plain(text).split()))


def person_key(text: str) -> str:
    return " ".join(sorted(w for w in _words(text) if w not in HONORIFICS))


def address_key(text: str) -> str:
    words = [ADDRESS.get(w, w) for w in _words(text)]
    return " ".join(w for w in words if w)


def name_similarity(a: str, b: str) -> float:
    """0..1: the better of the two spellings (as written, words sorted)."""
    return max(SequenceMatcher(None, name_plain(a), name_plain(b)).ratio(),
               SequenceMatcher(None, name_key(a), name_key(b)).ratio())  # fmt: skip
