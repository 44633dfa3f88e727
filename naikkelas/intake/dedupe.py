"""Likely duplicate businesses, found with Splink (probabilistic record linkage, Fellegi-Sunter) on DuckDB.

Records are the registry's businesses with their owners, normalised the Indonesian way: business-form prefixes
(UD, CV, PT, Toko, Warung, Usaha …) and honorifics (Ibu, Bu, Bpk, Pak, H., Hj. …) dropped from names, words
sorted so that "Keripik Pisang Bu Siti" and "Siti Keripik Pisang" agree, address abbreviations expanded (Jl. →
jalan, Dsn. → dusun), NIK compared by its keyed hash only, phones in E.164. The model's parameters are estimated
from the data (u by random sampling, m by expectation maximisation on two independent blockings), not set by
hand. Splink 4 API: https://moj-analytical-services.github.io/splink/ (Linker, SettingsCreator, DuckDBAPI).
"""

from dataclasses import dataclass, field

from naikkelas.core.names import address_key, name_plain, person_key


@dataclass
class Result:
    pairs: list[dict] = field(default_factory=list)  # {"a", "b", "probability"}
    clusters: list[list[int]] = field(default_factory=list)
    records: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {"records": self.records, "pairs": self.pairs, "clusters": self.clusters}


def record(r: dict) -> dict:
    """One row as Splink reads it; each name is normalised once (a million rows pass here)."""
    words = name_plain(r["name"]).split()
    village = r.get("village") or ""
    return {
        "unique_id": r["id"],
        "name_plain": " ".join(words) or None,
        "name_key": " ".join(sorted(words)) or None,  # core.names.name_key, from the words already split
        "first_word": words[0] if words else None,
        "owner_key": person_key(r.get("owner_name", "")) or None,
        "nik_hash": r.get("nik_hash") or None,
        "phone": r.get("phone") or None,
        "village": village or None,
        "district": village[:8] or None,
        "address_key": address_key(r.get("address", "")) or None,
        "nib": r.get("nib") or None,
    }


def records_frame(rows):
    """rows: dicts with id, name, owner_name, nik_hash, phone, village, address, nib → the frame Splink reads."""
    import pandas as pd

    return pd.DataFrame.from_records([record(r) for r in rows])


# How alike two business names are: the better of the two spellings' Jaro-Winkler similarity.
# Blocking rules name the sides l. and r.; comparison levels name the columns name_key_l and name_key_r.
ALIKE = ("greatest(jaro_winkler_similarity(l.name_plain, r.name_plain), "
         "jaro_winkler_similarity(l.name_key, r.name_key)) >= 0.8")  # fmt: skip
NAME_SIMILARITY = ("greatest(jaro_winkler_similarity(name_plain_l, name_plain_r), "
                   "jaro_winkler_similarity(name_key_l, name_key_r))")  # fmt: skip


def name_comparison():
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            {"sql_condition": "name_key_l IS NULL OR name_key_r IS NULL", "label_for_charts": "null",
             "is_null_level": True},
            {"sql_condition": "name_key_l = name_key_r", "label_for_charts": "same words"},
            {"sql_condition": f"{NAME_SIMILARITY} >= 0.93", "label_for_charts": "very alike"},
            {"sql_condition": f"{NAME_SIMILARITY} >= 0.85", "label_for_charts": "alike"},
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    )  # fmt: skip


def settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            name_comparison(),
            cl.JaroWinklerAtThresholds("owner_key", [0.95, 0.85]),
            cl.ExactMatch("nik_hash"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("nib"),
            cl.ExactMatch("village"),
            cl.JaccardAtThresholds("address_key", [0.8, 0.5]),
        ],
        # Pairs are only proposed when the business names are alike: one owner (one NIK) runs several
        # businesses, and a household or market row shares a phone and an address across different businesses
        # (random-pair sampling cannot teach the model that: two random records never share a phone).
        blocking_rules_to_generate_predictions=[
            f"l.nik_hash = r.nik_hash and {ALIKE}",
            f"l.phone = r.phone and {ALIKE}",
            f"l.nib = r.nib and {ALIKE}",
            block_on("name_key", "district"),  # forms, honorifics, order and case aside, the same name nearby
            block_on("first_word", "village"),  # typos, within one village (a district-wide block is too big)
            f"l.owner_key = r.owner_key and l.district = r.district and {ALIKE}",
        ],
        retain_intermediate_calculation_columns=False,
    )


def find(rows, *, threshold: float = 0.9, backend: str = "duckdb", seed: int = 7) -> Result:
    """Pairs above the threshold and the clusters they make (connected components), largest first."""
    import time

    from splink import DuckDBAPI, Linker, block_on

    if backend != "duckdb":
        raise NotImplementedError("the Spark backend is not wired yet")
    t0 = time.monotonic()
    frame = records_frame(rows)
    result = Result(records=len(frame))
    if len(frame) < 2:
        return result
    linker = Linker(frame, settings(), DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match([block_on("nik_hash"), block_on("phone")],
                                                                  recall=0.8)  # fmt: skip
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    # m estimated twice, each time from pairs blocked on fields it does not estimate.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_word", "village"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    pairs = predictions.as_pandas_dataframe()
    result.pairs = sorted(
        ({"a": int(min(a, b)), "b": int(max(a, b)), "probability": round(float(p), 4)}
         for a, b, p in zip(pairs["unique_id_l"], pairs["unique_id_r"], pairs["match_probability"], strict=True)),
        key=lambda x: (-x["probability"], x["a"], x["b"]),
    )  # fmt: skip
    result.clusters = components([(p["a"], p["b"]) for p in result.pairs])
    result.seconds = round(time.monotonic() - t0, 2)
    return result


def components(edges) -> list[list[int]]:
    """Connected components of the pairs (union-find), each sorted, largest first."""
    parent: dict[int, int] = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for x in parent:
        groups.setdefault(root(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
