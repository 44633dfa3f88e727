"""Likely duplicate businesses, found with Splink (probabilistic record linkage, Fellegi-Sunter) on DuckDB.

Records are the registry's businesses with their owners, normalised the Indonesian way: business-form prefixes
(UD, CV, PT, Toko, Warung, Usaha …) and honorifics (Ibu, Bu, Bpk, Pak, H., Hj. …) dropped from names, words
sorted so that "Keripik Pisang Bu Siti" and "Siti Keripik Pisang" agree, address abbreviations expanded (Jl. →
jalan, Dsn. → dusun), NIK compared by its keyed hash only, phones in E.164. The model's parameters are estimated
from the data (u by random sampling, m by expectation maximisation on two independent blockings), not set by
hand. Splink 4 API: https://moj-analytical-services.github.io/splink/ (Linker, SettingsCreator, DuckDBAPI).
"""

import csv
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings as django_settings

from naikkelas.core.names import address_key, name_plain, person_key
from naikkelas.regions import codes


@dataclass
class Result:
    pairs: list[dict] = field(default_factory=list)  # {"a", "b", "probability"}
    clusters: list[list[int]] = field(default_factory=list)
    records: int = 0
    seconds: float = 0.0
    labels: dict[int, tuple[str, str]] = field(default_factory=dict)  # clustered id → (name, village)
    trained_on: int = 0  # records the model learned from: more than `records` when a small region was widened
    untrained: list[str] = field(default_factory=list)  # training blocks that gave no pairs to learn from

    def as_json(self) -> dict:
        return {"records": self.records, "pairs": self.pairs, "clusters": self.clusters}


def record(r: dict) -> dict:
    """One business as Splink reads it; each name is normalised once (a million rows pass here)."""
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
        "district": codes.district_of(village) or None,
        "address_key": address_key(r.get("address", "")) or None,
        "nib": r.get("nib") or None,
        "in_scope": bool(r.get("in_scope", True)),
    }


def person_record(r: dict) -> dict:
    """One person as Splink reads it: name without honorifics, NIK hash, phone, birth date, and the village and
    address of a business the person runs (persons have no address of their own in the registry)."""
    words = name_plain(r["name"]).split()
    village = r.get("village") or ""
    born = r.get("birth_date")
    return {
        "unique_id": r["id"],
        "name_plain": " ".join(words) or None,
        "name_key": " ".join(sorted(words)) or None,
        "first_word": words[0] if words else None,
        "nik_hash": r.get("nik_hash") or None,
        "phone": r.get("phone") or None,
        "birth_date": str(born) if born else None,
        "village": village or None,
        "district": codes.district_of(village) or None,
        "address_key": address_key(r.get("address", "")) or None,
        "in_scope": bool(r.get("in_scope", True)),
    }


BUSINESS, PERSON = "usaha", "orang"  # intake.models.RecordKind
READERS = {BUSINESS: record, PERSON: person_record}


def records_frame(rows, kind: str = BUSINESS):
    """rows: dicts (for businesses: id, name, owner_name, nik_hash, phone, village, address, nib; for persons: id,
    name, nik_hash, phone, birth_date, village, address) → the frame Splink reads. Built column by column, so a
    million rows never stand as a million dicts at once."""
    import pandas as pd

    read = READERS[kind]
    columns: dict[str, list] = {}
    for row in rows:
        for key, value in read(row).items():
            columns.setdefault(key, []).append(value)
    if not columns:
        columns = {key: [] for key in read({"id": 0, "name": ""})}
    return pd.DataFrame(columns)


# How alike two business names are: the better of the two spellings' Jaro-Winkler similarity. DuckDB calls the
# function jaro_winkler_similarity; on Spark it comes from the jar Splink ships (registered as jaro_winkler).
# Blocking rules name the sides l. and r.; comparison levels name the columns name_key_l and name_key_r.
JARO_WINKLER = {"duckdb": "jaro_winkler_similarity", "spark": "jaro_winkler"}
BACKENDS = tuple(JARO_WINKLER)


def different_words(backend: str, a: str, b: str) -> str:
    """SQL: each name has a word the other lacks (no word there with Jaro-Winkler ≥ 0.88; "ikan" and "iwan" reach
    0.85): "keripik pisang
    yuliana" and "keripik singkong yuliana" — one owner's two products, a household's two trades, a husband and a
    wife — while a typo, a missing word or another order ("keripik pisang siti" and "siti rahayu keripik pisang")
    are not. Jaro-Winkler over the whole name cannot tell these apart (0.918 against 0.911)."""
    if backend == "spark":
        lone = "exists(split({x}, ' '), w -> array_max(transform(split({y}, ' '), v -> jaro_winkler(w, v))) < 0.88)"
    else:
        lone = (
            "len(list_filter(string_split({x}, ' '), w -> list_max(list_transform(string_split({y}, ' '), "
            "v -> jaro_winkler_similarity(w, v))) < 0.88)) > 0"
        )
    return f"({lone.format(x=a, y=b)} and {lone.format(x=b, y=a)})"


def alike(backend: str = "duckdb", kind: str = BUSINESS) -> str:
    """SQL: the two records' names are alike enough to be proposed as a pair."""
    jw = JARO_WINKLER[backend]
    conflict = different_words(backend, "l.name_plain", "r.name_plain")
    # CASE, so that the word-by-word check (the costly part) runs only on pairs alike as a whole.
    if (
        kind == PERSON
    ):  # words sorted, "saputra sri" and "saputra yusuf" look alike: a family name is no match
        return (
            f"(CASE WHEN l.name_key = r.name_key THEN true WHEN {jw}(l.name_plain, r.name_plain) >= 0.85 "
            f"THEN NOT {conflict} ELSE false END)"
        )
    return (
        f"(CASE WHEN greatest({jw}(l.name_plain, r.name_plain), {jw}(l.name_key, r.name_key)) >= 0.8 "
        f"THEN NOT {conflict} ELSE false END)"
    )


def name_similarity(backend: str = "duckdb", kind: str = BUSINESS) -> str:
    jw = JARO_WINKLER[backend]
    if kind == PERSON:
        return f"{jw}(name_plain_l, name_plain_r)"
    return f"greatest({jw}(name_plain_l, name_plain_r), {jw}(name_key_l, name_key_r))"


ONE_NIK = "(l.nik_hash IS NULL OR r.nik_hash IS NULL OR l.nik_hash = r.nik_hash)"


def name_comparison(backend: str = "duckdb", kind: str = BUSINESS):
    import splink.comparison_library as cl

    similarity = name_similarity(backend, kind)
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            {
                "sql_condition": "name_key_l IS NULL OR name_key_r IS NULL",
                "label_for_charts": "null",
                "is_null_level": True,
            },
            {"sql_condition": "name_key_l = name_key_r", "label_for_charts": "same words"},
            {
                "sql_condition": f"(CASE WHEN {similarity} >= 0.8 THEN "
                f"{different_words(backend, 'name_plain_l', 'name_plain_r')} ELSE false END)",
                "label_for_charts": "a different word each",
            },
            {"sql_condition": f"{similarity} >= 0.93", "label_for_charts": "very alike"},
            {"sql_condition": f"{similarity} >= 0.85", "label_for_charts": "alike"},
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    )


def settings(backend: str = "duckdb", kind: str = BUSINESS, *, narrowed: bool = False):
    """Splink's settings. narrowed: the model learns from every record, but pairs are only proposed between
    records marked in_scope (a small region searched with its wider surroundings' model)."""
    import splink.comparison_library as cl
    from splink import SettingsCreator

    same_name = alike(backend, kind)
    other_trade = ""
    if kind == BUSINESS:
        conflict = different_words(backend, "l.name_plain", "r.name_plain")
        other_trade = f" and (CASE WHEN l.nik_hash = r.nik_hash THEN NOT {conflict} ELSE true END)"
    if kind == PERSON:
        comparisons = [
            name_comparison(backend, kind),
            cl.ExactMatch("nik_hash"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("birth_date"),
            cl.ExactMatch("village"),
            cl.JaccardAtThresholds("address_key", [0.8, 0.5]),
        ]
        # Husband and wife share a phone and an address: as for businesses, only alike names make a pair.
        blocking = [
            f"l.phone = r.phone and {same_name}",
            f"l.birth_date = r.birth_date and {same_name}",
            "l.name_key = r.name_key and l.district = r.district",
            "l.first_word = r.first_word and l.village = r.village",
        ]
    else:
        comparisons = [
            name_comparison(backend),
            cl.JaroWinklerAtThresholds("owner_key", [0.95, 0.85]),
            cl.ExactMatch("nik_hash"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("nib"),
            cl.ExactMatch("village"),
            cl.JaccardAtThresholds("address_key", [0.8, 0.5]),
        ]
        # Pairs are only proposed when the business names are alike: one owner (one NIK) runs several
        # businesses, and a household or market row shares a phone and an address across different businesses
        # (random-pair sampling cannot teach the model that: two random records never share a phone).
        blocking = [
            f"l.nik_hash = r.nik_hash and {same_name}",
            f"l.phone = r.phone and {same_name}",
            f"l.nib = r.nib and {same_name}",
            # forms, honorifics, order and case aside, the same name nearby
            "l.name_key = r.name_key and l.district = r.district",
            # typos, within one village (a district-wide block is too big)
            "l.first_word = r.first_word and l.village = r.village",
            f"l.owner_key = r.owner_key and l.district = r.district and {same_name}",
        ]
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        # Two different NIKs are two people for Dukcapil, and a business has one owner: a pair whose NIKs both
        # exist and differ is never proposed. Nor, for businesses, is one owner's pair whose names each have a
        # word the other lacks (banana chips and cassava chips). EM cannot learn either from a list with few
        # true duplicates (it then takes same-named neighbours for its "match" class); a NIK typed wrong keeps
        # two records apart until it is corrected.
        blocking_rules_to_generate_predictions=[
            f"({rule}) and {ONE_NIK}{other_trade}{' and l.in_scope and r.in_scope' if narrowed else ''}"
            for rule in blocking
        ],
        retain_intermediate_calculation_columns=False,
    )


def spark_session():
    """The Spark session the duplicate search runs on: settings.DEDUPE_SPARK_MASTER (local by default), with the
    similarity functions Splink ships as a jar (jaro_winkler and friends)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    builder = (
        SparkSession.builder.master(django_settings.DEDUPE_SPARK_MASTER)
        .appName("naikkelas-dedupe")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
    )
    for item in django_settings.DEDUPE_SPARK_CONF:
        key, _, value = item.partition("=")
        builder = builder.config(key.strip(), value.strip())
    return builder.getOrCreate()


@contextmanager
def database(backend: str):
    """Splink's database API for the backend: DuckDB inside this process, or Spark (with a checkpoint folder)."""
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        con = duckdb.connect()
        # Splink reads the comparisons' SQL with sqlglot, which writes lambdas with an arrow (w -> …); DuckDB 2
        # asks for `lambda w: …` unless told to accept the arrow.
        con.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")
        try:
            yield DuckDBAPI(connection=con)
        finally:
            con.close()
    elif backend == "spark":
        from django.conf import settings as django_settings
        from splink import SparkAPI

        session = spark_session()
        with tempfile.TemporaryDirectory(prefix="naikkelas-spark-") as scratch:
            session.sparkContext.setCheckpointDir(django_settings.DEDUPE_SPARK_CHECKPOINT_DIR or scratch)
            yield SparkAPI(spark_session=session)
    else:
        raise ValueError(f"unknown backend {backend!r}; one of {', '.join(BACKENDS)}")


def _spark_frame(db, frame):
    """The records as a typed Spark table (Spark cannot guess the type of a column empty everywhere)."""
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    kinds = {"unique_id": LongType(), "in_scope": BooleanType()}
    schema = StructType([StructField(c, kinds.get(c, StringType())) for c in frame.columns])
    rows = [
        tuple(None if v != v else v.item() if hasattr(v, "item") else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    return db.spark.createDataFrame(rows, schema=schema)


def _duckdb_tables(con, rows, kind: str) -> int:
    """The records as DuckDB tables, through a temporary CSV file that DuckDB reads in parallel: `records` (what
    Splink compares) and `labels` (each record's name and village as written, for the review queue). Rows are
    streamed: a million never stand in Python's memory at once. Returns the number of records."""

    read = READERS[kind]
    columns = list(read({"id": 0, "name": ""}))
    count = 0
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*columns, "label", "region"])
        for row in rows:
            values = read(row)
            writer.writerow([*(values[c] for c in columns), row.get("name") or "", row.get("village") or ""])
            count += 1
        out.flush()
        kinds = {"unique_id": "BIGINT", "in_scope": "BOOLEAN"}
        types = ", ".join(f"'{c}': '{kinds.get(c, 'VARCHAR')}'" for c in (*columns, "label", "region"))
        source = f"read_csv('{out.name}', header = true, columns = {{{types}}}, nullstr = '', quote = '\"', escape = '\"')"
        con.execute(f"CREATE TABLE records AS SELECT {', '.join(columns)} FROM {source}")  # noqa: S608 - our own temporary file
        con.execute(f"CREATE TABLE labels AS SELECT unique_id, label, region FROM {source}")  # noqa: S608 - our own temporary file
    return count


def find(
    rows, *, threshold: float = 0.9, backend: str = "duckdb", kind: str = BUSINESS, seed: int = 7
) -> Result:
    """Pairs above the threshold and the clusters they make (connected components), largest first.

    rows: dicts as READERS[kind] reads them (any iterable, streamed on DuckDB), or a pandas frame of records.
    A row with in_scope false teaches the model but is never proposed: a village's few dozen records are searched
    with the model of the wider area around it (duplicates.training_area)."""

    from splink import Linker, block_on
    from splink.internals.exceptions import EMTrainingException  # not re-exported by Splink 4

    t0 = time.monotonic()
    with database(backend) as db:
        if backend == "duckdb" and not hasattr(rows, "columns"):
            trained_on = _duckdb_tables(db._con, rows, kind)
            table = "records"
            ((records,),) = db._con.execute("SELECT count(*) FROM records WHERE in_scope").fetchall()
        else:
            frame = rows if hasattr(rows, "columns") else records_frame(rows, kind)
            trained_on = records = len(frame)
            if "in_scope" in frame.columns:
                records = int(frame["in_scope"].sum())
            table = _spark_frame(db, frame) if backend == "spark" else frame
        result = Result(records=records, trained_on=trained_on)
        if records < 2:
            return result
        # Splink's own logging setup would print its training notes (INFO) on stdout of every command and page
        # worker; its messages go through the site's logging like any other library's.
        linker = Linker(
            table, settings(backend, kind, narrowed=records < trained_on), db, set_up_basic_logging=False
        )
        surely_same = (
            [block_on("nik_hash"), block_on("phone")]
            if kind == BUSINESS
            else [f"l.phone = r.phone and {alike(backend, kind)}", block_on("name_key", "village")]
        )
        try:
            linker.training.estimate_probability_two_random_records_match(surely_same, recall=0.8)
        except ValueError:  # a handful of records, most of them sharing a phone or a NIK: even odds, then
            linker._settings_obj._probability_two_random_records_match = 0.5  # what Splink's estimate sets
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
        # m estimated twice, each time from pairs blocked on fields it does not estimate. A list where no two
        # records share a phone (or a village and a first word) gives one of them nothing to learn from: the
        # other still trains, and what neither reaches keeps Splink's starting values.
        for rule in (block_on("first_word", "village"), block_on("phone")):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(rule)
            except EMTrainingException:
                result.untrained.append(
                    rule.get_blocking_rule(db.sql_dialect.sql_dialect_str).blocking_rule_sql
                )
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        if backend == "spark":
            found = [
                (p["unique_id_l"], p["unique_id_r"], p["match_probability"])
                for p in predictions.as_record_dict()
            ]
        else:
            name = predictions.physical_name
            found = db._con.execute(
                f"SELECT unique_id_l, unique_id_r, match_probability FROM {name}"  # noqa: S608 - Splink's own table names
            ).fetchall()
            if table == "records":
                result.labels = {
                    pk: (label, region) for pk, label, region in db._con.execute(
                        f"SELECT unique_id, label, region FROM labels WHERE unique_id IN "  # noqa: S608
                        f"(SELECT unique_id_l FROM {name} UNION SELECT unique_id_r FROM {name})").fetchall()
                }  # fmt: skip
    result.pairs = sorted(
        ({"a": int(min(a, b)), "b": int(max(a, b)), "probability": round(float(p), 4)} for a, b, p in found),
        key=lambda x: (-x["probability"], x["a"], x["b"]),
    )
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
