"""Indonesian words reduced to what they are about, so that "keripik pisang" meets "Keripik Pisang Coklat",
"kripik pisangnya" and "pisang olahan".

Words are lower-cased, stripped of punctuation, spelled the common way (kripik → keripik, cokelat → coklat) and
stemmed with Sastrawi (PySastrawi, the Nazief–Adriani stemmer for Bahasa Indonesia: "sayuran" → "sayur",
"olahan" → "olah"); words that say nothing about a product (units, "dan", "untuk") are dropped.
"""

import re
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

_WORD = re.compile(r"[a-z]+")
SPELLING = {
    "kripik": "keripik", "kripk": "keripik", "cokelat": "coklat", "coklatnya": "coklat", "sambel": "sambal",
    "telor": "telur", "sayur": "sayur", "sayuran": "sayur", "kopinya": "kopi", "beras": "beras",
}  # fmt: skip
STOP = frozenset(
    [
        "dan",
        "atau",
        "untuk",
        "dengan",
        "per",
        "yang",
        "di",
        "ke",
        "dari",
        "pak",
        "bu",
        "kg",
        "gram",
        "gr",
        "g",
        "liter",
        "l",
        "ml",
        "pcs",
        "buah",
        "unit",
        "bungkus",
        "pack",
        "paket",
        "kemasan",
        "ukuran",
        "isi",
        "setiap",
        "tiap",
        "per",
        "minggu",
        "bulan",
        "hari",
        "tahun",
        "kualitas",
        "baik",
        "bagus",
        "segar",
        "murah",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    word = SPELLING.get(word, word)
    return SPELLING.get(found := _stemmer().stem(word), found)


def terms(text: str) -> frozenset[str]:
    """The words of the text that name what it is about, stemmed."""
    words = _WORD.findall((text or "").lower())
    return frozenset(stem(w) for w in words if len(w) > 2 and w not in STOP)


def written(text: str) -> list[str]:
    """The words of the text that name something, as written (lower-cased)."""
    return [w for w in _WORD.findall((text or "").lower()) if len(w) > 2 and w not in STOP]


def head(text: str) -> str:
    """The first word that names something, stemmed: an Indonesian noun phrase puts its head first ("minyak
    goreng" is oil, "pisang goreng" a banana), so a match without it counts half (see overlap)."""
    for word in _WORD.findall((text or "").lower()):
        if len(word) > 2 and word not in STOP:
            return stem(word)
    return ""


def overlap(wanted: frozenset[str], offered: frozenset[str], wanted_head: str = "") -> float:
    """Share of the wanted terms the offered text has (0..1); half that when it lacks the wanted head word."""
    if not wanted:
        return 0.0
    share = len(wanted & offered) / len(wanted)
    return share / 2 if wanted_head and wanted_head not in offered else share
