"""How Indonesian business and person names and addresses are compared: business forms (UD, CV, Toko …) and
honorifics (Ibu, Pak, H., Hj. …) dropped, spelling variants made one, words in a fixed order, address
abbreviations written out. Used by the duplicate search (intake.dedupe) and the check at entry (registry)."""

import re

from rapidfuzz import fuzz, process

from naikkelas.regions import codes

PREFIXES = {
    "ud",
    "cv",
    "pt",
    "toko",
    "warung",
    "usaha",
    "kedai",
    "kios",
    "rm",
    "rumah",
    "home",
    "industri",
    "ukm",
    "umkm",
    "koperasi",
    "kopontren",
    "bumdes",
}
HONORIFICS = {
    "ibu",
    "bu",
    "bpk",
    "bapak",
    "pak",
    "h",
    "hj",
    "haji",
    "hajjah",
    "mbak",
    "mas",
    "sdr",
    "sdri",
    "ny",
    "nyonya",
    "tn",
    "tuan",
    "dr",
    "ir",
    "drs",
    "dra",
    "st",
    "se",
    "spd",
    "amd",
    "s",
}
# Spellings offices use for the same word.
VARIANTS = {
    "kripik": "keripik",
    "keripk": "keripik",
    "krupuk": "kerupuk",
    "baso": "bakso",
    "satai": "sate",
    "coffee": "kopi",
    "penjahit": "jahit",
    "kueh": "kue",
}
ADDRESS = {
    "jl": "jalan",
    "jln": "jalan",
    "dsn": "dusun",
    "ds": "desa",
    "kel": "kelurahan",
    "kec": "kecamatan",
    "gg": "gang",
    "no": "",
    "rt": "rt",
    "rw": "rw",
}


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
    """Address words with abbreviations written out and numbers without leading zeros, RT/RW and house numbers
    apart from their digits: "Dsn. Sukamaju RT.02/RW003" and "Dusun Sukamaju RT 2 RW 3" agree."""
    words = []
    for word in _words(text):
        glued = re.fullmatch(r"(rt|rw|no|gg|blok)(\d+)", word)
        for part in (glued[1], glued[2]) if glued else (word,):
            part = str(int(part)) if part.isdigit() else ADDRESS.get(part, part)
            if part:
                words.append(part)
    return " ".join(words)


def plain_similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """0..1 for two names already normalised (name_plain): the better of as written and with the words sorted
    (Indel similarity, as difflib's ratio; rapidfuzz computes it in C++). Below cutoff: 0."""
    cut = cutoff * 100
    return max(fuzz.ratio(a, b, score_cutoff=cut), fuzz.token_sort_ratio(a, b, score_cutoff=cut)) / 100


def name_similarity(a: str, b: str) -> float:
    """0..1: the better of the two spellings (as written, words sorted)."""
    return plain_similarity(name_plain(a), name_plain(b))


class Lookalikes:
    """Records already known, to warn when a new one is probably one of them (the check at import): candidates
    share the district and the name's first word, the phone, or the owner's NIK, and their names are alike
    (plain_similarity ≥ 0.85). Candidates per key are capped, so a common word costs no more than 50 comparisons,
    made in one call to rapidfuzz per key.

    Kept compact, as an import holds one for every business of its regency: each record's label and plain name
    once, and per key (its hash: a collision only adds candidates to compare) the record's index, or a list of
    indexes when several share it. 300,000 businesses take about 60 MB."""

    CAP = 50
    ALIKE = 85  # rapidfuzz scores run 0..100

    def __init__(self):
        self._labels: list[str | int] = []  # a label, or a number the caller turns into one (a file's row)
        self._plains: list[str] = []
        self._by: dict[int, int | list[int]] = {}  # hash of a key → index, or indexes

    def _keys(self, plain: str, village: str, phone: str, nik_hash: str) -> list[int]:
        words = plain.split()
        keys = [hash(("w", codes.district_of(village), words[0]))] if words and village else []
        if phone:
            keys.append(hash(("p", phone)))
        if nik_hash:
            keys.append(hash(("n", nik_hash)))
        return keys

    def add(
        self, label: str | int, name: str, village: str = "", phone: str = "", nik_hash: str = ""
    ) -> None:
        plain = name_plain(name)
        index = len(self._labels)
        self._labels.append(label)
        self._plains.append(plain)
        for key in self._keys(plain, village, phone, nik_hash):
            found = self._by.get(key)
            if found is None:
                self._by[key] = index
            elif isinstance(found, int):
                self._by[key] = [found, index]
            elif len(found) < self.CAP:
                found.append(index)

    def like(
        self, name: str, village: str = "", phone: str = "", nik_hash: str = "", limit: int = 3
    ) -> list[str | int]:
        """Labels of the known records this one probably is, most alike first."""
        plain = name_plain(name)
        if not plain:
            return []
        scored: dict[str | int, float] = {}
        for key in self._keys(plain, village, phone, nik_hash):
            found = self._by.get(key)
            if found is None:
                continue
            indexes = [found] if isinstance(found, int) else found
            plains = [self._plains[i] for i in indexes]
            for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                for _choice, score, at in process.extract(
                    plain, plains, scorer=scorer, score_cutoff=self.ALIKE, limit=None
                ):
                    label = self._labels[indexes[at]]
                    scored[label] = max(score, scored.get(label, 0))
        return [label for label, _score in sorted(scored.items(), key=lambda x: -x[1])][:limit]
