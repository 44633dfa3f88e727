"""Benchmark: how well the duplicate search finds duplicates, and how fast, on generated records with known
truth — typos, abbreviations, honorifics, swapped word order, missing NIK, phone formats, moved villages — and the
trap real lists hold: different businesses of one household or market row sharing a phone and an address.

Two ways to run it:

* on the records directly (dedupe.find), beside an exact-match baseline (normalised name and village) and an
  untuned Splink model (plain comparisons, blocking on phone and NIK alone); prints precision, recall, F1, seconds
  and the process's peak memory (ru_maxrss);
* --stored: the whole path an office runs — the generated records written to the registry's tables in a fresh
  PostgreSQL database (naikkelas_bench at $BENCH_PG) on Lampung's real villages, then `naikkelas dedupe` in a
  child process (reading the tables, Splink, storing the review queue's clusters), timed and with that child's
  peak memory; precision, recall and F1 are read back from the stored clusters' pairs. Businesses, then persons.

    .venv/bin/python benchmarks/dedupe_quality.py                  # 100,000 records, in memory
    .venv/bin/python benchmarks/dedupe_quality.py --sizes 100000,1000000
    .venv/bin/python benchmarks/dedupe_quality.py --stored --sizes 1000000
    .venv/bin/python benchmarks/dedupe_quality.py --villages 150 --sizes 60000   # small regions

* --villages N: N villages drawn at random, each searched alone (its few records are all the model learns from)
  and with the model of the whole list (what naikkelas does for a region under DEDUPE_MIN_TRAINING businesses);
  prints precision and recall over those villages' pairs, and how many searches failed.
"""

import argparse
import logging
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OWNERS = [
    "Siti",
    "Budi",
    "Ahmad",
    "Ratna",
    "Wayan",
    "Aini",
    "Joko",
    "Dewi",
    "Sri",
    "Eko",
    "Rina",
    "Yusuf",
    "Maya",
    "Agus",
    "Fitri",
    "Hendra",
    "Lina",
    "Rudi",
    "Tuti",
    "Bambang",
    "Nur",
    "Putu",
    "Made",
    "Ketut",
]
FAMILY = [
    "Rahayu",
    "Santoso",
    "Hidayat",
    "Lestari",
    "Saputra",
    "Wulandari",
    "Pratama",
    "Kurniawan",
    "Susanti",
    "Nugroho",
    "Setiawan",
    "Purnomo",
    "Handayani",
    "Wijaya",
    "Siregar",
    "Harahap",
    "Nasution",
    "Lubis",
]
TRADES = [
    "Keripik Pisang",
    "Kopi Robusta",
    "Sambal Seruit",
    "Kerupuk Ikan",
    "Tapis",
    "Gula Aren",
    "Emping",
    "Madu",
    "Bakso",
    "Tempe",
    "Jamu",
    "Batik",
    "Rengginang",
    "Dodol",
    "Lempok",
    "Kemplang",
    "Jahit",
    "Bengkel Motor",
    "Pulsa",
    "Gorengan",
    "Sayur",
    "Laundry",
    "Salon",
    "Mebel",
    "Anyaman",
    "Roti",
    "Kue Basah",
    "Ikan Asin",
]
SHOPS = ["", "UD ", "Toko ", "Warung ", "Usaha "]
HONOR = ["", "Ibu ", "Bu ", "Pak ", "Bpk ", "H. ", "Hj. "]


def typo(rng, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return rng.choice(
        [
            text[:i] + text[i + 1 :],
            text[:i] + text[i + 1] + text[i] + text[i + 2 :],
            text[:i] + rng.choice("aiueokrs") + text[i + 1 :],
        ]
    )


def generate(n: int, seed: int = 1):
    rng = random.Random(seed)
    rows, truth, uid, entity = [], [], 0, 0
    while uid < n:
        entity += 1
        village = f"18.{rng.randint(1, 13):02d}.{rng.randint(1, 20):02d}.{2001 + rng.randint(0, 30)}"
        if rng.random() < 0.05:  # the trap: a household's two or three businesses
            phone, address = f"+62813{entity:08d}", f"Jl. Pasar No. {rng.randint(1, 200)}"
            for trade in rng.sample(TRADES, rng.choice([2, 3])):
                uid += 1
                owner = f"{rng.choice(OWNERS)} {rng.choice(FAMILY)}"
                rows.append(
                    (
                        uid,
                        f"{rng.choice(SHOPS)}{trade} {owner.split()[0]}",
                        owner,
                        None,
                        phone,
                        village,
                        address,
                        "",
                    )
                )
                truth.append(f"{entity}-{trade}")
            continue
        owner = f"{rng.choice(OWNERS)} {rng.choice(FAMILY)}"
        name = f"{rng.choice(TRADES)} {rng.choice(HONOR)}{owner.split()[0]}"
        phone, nik = f"+62812{entity:08d}", f"nik-{entity}"
        address = (
            f"{rng.choice(['Jl.', 'Jalan', 'Dsn.', 'Dusun'])} {rng.choice(FAMILY)} No. {rng.randint(1, 99)}"
        )
        copies = rng.choices([1, 2, 3, 4], weights=[60, 28, 9, 3])[0]
        for k in range(copies):
            uid += 1
            variant = (
                name
                if k == 0
                else rng.choice(
                    [
                        f"{rng.choice(SHOPS)}{name}",
                        typo(rng, name),
                        " ".join(reversed(name.split())),
                        name.upper(),
                        f"{name} {owner.split()[1]}",
                        name.replace("Keripik", "Kripik"),
                    ]
                )
            )
            rows.append(
                (
                    uid,
                    variant,
                    f"{rng.choice(HONOR)}{owner}" if k else owner,
                    nik if rng.random() < 0.6 else None,
                    (phone if rng.random() < 0.5 else phone.replace("+62", "0"))
                    if rng.random() < 0.8
                    else None,
                    village if rng.random() < 0.9 else f"{village[:8]}.{2001 + rng.randint(0, 30)}",
                    address
                    if rng.random() < 0.7
                    else address.replace("Jl.", "Jalan").replace("Dsn.", "Dusun"),
                    "",
                )
            )
            truth.append(entity)
    keys = ["id", "name", "owner_name", "nik_hash", "phone", "village", "address", "nib"]
    from naikkelas.core.phones import phone_to_e164

    records = []
    for row in rows[:n]:
        record = dict(zip(keys, row, strict=True))
        if record["phone"]:
            record["phone"] = phone_to_e164(record["phone"])  # the registry stores E.164
        records.append(record)
    return records, truth[:n]


def score(pairs, truth) -> tuple[float, float, float]:
    found = {(min(a, b), max(a, b)) for a, b in pairs}
    right = sum(1 for a, b in found if truth[a - 1] == truth[b - 1])
    sizes = Counter(truth)
    true_pairs = sum(k * (k - 1) // 2 for k in sizes.values())
    precision = right / len(found) if found else 0.0
    recall = right / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def exact_baseline(records):
    from naikkelas.core.names import name_key

    groups: dict[tuple, list[int]] = {}
    for r in records:
        groups.setdefault((name_key(r["name"]), r["village"]), []).append(r["id"])
    return [(g[i], g[j]) for g in groups.values() for i in range(len(g)) for j in range(i + 1, len(g))]


def untuned(records):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from naikkelas.intake.dedupe import records_frame

    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_plain", [0.9, 0.7]),
            cl.ExactMatch("phone"),
            cl.ExactMatch("nik_hash"),
            cl.ExactMatch("village"),
            cl.JaroWinklerAtThresholds("address_key"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("phone"),
            block_on("nik_hash"),
            block_on("first_word", "village"),
        ],
    )
    linker = Linker(records_frame(records), settings, DuckDBAPI())
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_word", "village"))
    frame = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    return list(zip(frame["unique_id_l"], frame["unique_id_r"], strict=True))


def _store(records, truth, write: bool = True) -> tuple[dict, dict]:
    """Write the generated records to the registry on real villages: each generated district on its own real
    district, the largest ones (so the records are about as dense as in memory: where a district has fewer than
    the 31 generated villages, some share one); one person per NIK, as the registry keeps them. Returns the truth per business id and per person
    id (write=False: only that, for a database an earlier run filled)."""
    from django.core.management import call_command

    from naikkelas.regions.models import Level, Region
    from naikkelas.registry.models import Business, Person

    if write:
        call_command("migrate", verbosity=0)
        cached = sorted((ROOT / "var" / "packages").glob("idn-area-data-*.tgz"))
        call_command("load_regions", *(["--source", str(cached[-1])] if cached else []), verbosity=0)
    villages: dict[str, list[str]] = {}
    for code, parent in (
        Region.objects.filter(level=Level.VILLAGE).order_by("code").values_list("code", "parent_id")
    ):
        villages.setdefault(parent, []).append(code)
    districts = sorted(villages, key=lambda d: (-len(villages[d]), d))  # the largest first
    generated = sorted({r["village"][:8] for r in records})
    on = {key: districts[n] for n, key in enumerate(generated)}
    people, person_of_nik, business_truth, person_truth = [], {}, {}, {}
    businesses = []
    for record, entity in zip(records, truth, strict=True):
        nik = record["nik_hash"]
        if nik and nik in person_of_nik:
            owner = person_of_nik[nik]
        else:
            owner = len(people) + 1
            people.append(
                Person(pk=owner, name=record["owner_name"], nik_hash=nik or "", phone=record["phone"] or "")
            )
            person_truth[owner] = entity if not isinstance(entity, str) else f"{entity}-{owner}"
            if nik:
                person_of_nik[nik] = owner
        key = record["village"]
        real = villages[on[key[:8]]]
        village = real[(int(key[9:]) - 2001) % len(real)]
        businesses.append(
            Business(
                pk=record["id"],
                name=record["name"],
                owner_id=owner,
                village_id=village,
                phone=record["phone"] or "",
                address=record["address"],
                search_text=record["name"].lower(),
            )
        )
        business_truth[record["id"]] = entity
    if write:
        Person.objects.bulk_create(people, batch_size=5000)
        Business.objects.bulk_create(businesses, batch_size=5000)
    return business_truth, person_truth


def _stored_pairs(kind: str) -> list[tuple[int, int]]:
    from naikkelas.intake.models import DuplicateCluster

    return [
        (p["a"], p["b"])
        for pairs in DuplicateCluster.objects.filter(kind=kind).values_list("pairs", flat=True)
        for p in pairs
    ]


def _score_against(pairs, truth: dict) -> tuple[float, float, float]:
    ids = sorted(truth)
    index = {pk: n for n, pk in enumerate(ids)}
    return score([(index[a] + 1, index[b] + 1) for a, b in pairs], [truth[pk] for pk in ids])


def stored(n: int, threshold: float, reuse: bool = False) -> None:
    import json
    import subprocess

    from common import setup_django

    setup_django("postgresql", keep=reuse)
    records, truth = generate(n)
    t0 = time.monotonic()
    if reuse:
        from naikkelas.intake.models import DuplicateCluster, DuplicateRun

        DuplicateCluster.objects.all().delete()
        DuplicateRun.objects.all().delete()
    business_truth, person_truth = _store(records, truth, write=not reuse)
    del records
    done = (
        "already in PostgreSQL (--reuse)"
        if reuse
        else f"written to PostgreSQL in {time.monotonic() - t0:.0f} s"
    )
    print(f"\n{n:,} businesses ({len(set(truth)):,} real), {len(person_truth):,} persons {done}", flush=True)
    import os

    for kind, label, truth_of in (
        ("business", "businesses", business_truth),
        ("person", "persons", person_truth),
    ):
        code = (
            "import resource, time, json, logging; "
            "import django; django.setup(); from django.core.management import call_command; "
            "logging.getLogger('splink').setLevel(logging.ERROR); t0 = time.monotonic(); "
            f"call_command('dedupe', '--kind', '{kind}', '--threshold', '{threshold}'); "
            "print(json.dumps({'seconds': time.monotonic() - t0, "
            "'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
        )
        child = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
        )
        if child.returncode:
            print(child.stderr[-3000:])
            raise SystemExit(child.returncode)
        lines = child.stdout.strip().splitlines()
        measured = json.loads(lines[-1])
        from naikkelas.intake.models import RecordKind

        kind_code = RecordKind.BUSINESS if kind == "business" else RecordKind.PERSON
        p, r, f1 = _score_against(_stored_pairs(kind_code), truth_of)
        print(
            f"  {label:<11} tables → stored clusters: precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  "
            f"{measured['seconds']:6.1f} s  peak {measured['peak_mb']:,.0f} MB (the dedupe process)  "
            f"[{lines[-2]}]",
            flush=True,
        )


def villages(n: int, how_many: int, threshold: float) -> None:
    """Small regions: each of how_many random villages searched alone, and with the model of all n records (pairs
    proposed only inside the village, as duplicates.training_area arranges for a small region)."""
    from collections import defaultdict

    from naikkelas.intake.dedupe import find

    records, truth = generate(n, seed=3)
    of = {r["id"]: truth[r["id"] - 1] for r in records}
    t0 = time.monotonic()
    everything = find(records, threshold=threshold).pairs
    print(f"{n:,} records; the model of all of them in {time.monotonic() - t0:.1f} s", flush=True)
    by_village = defaultdict(list)
    for r in records:
        by_village[r["village"]].append(r)
    chosen = sorted(by_village)
    random.Random(1).shuffle(chosen)
    totals, t0 = Counter(), time.monotonic()
    for village in chosen[:how_many]:
        inside = {r["id"] for r in by_village[village]}
        sizes = Counter(of[i] for i in inside)
        totals["records"] += len(inside)
        totals["true"] += sum(k * (k - 1) // 2 for k in sizes.values())
        try:
            alone = find(by_village[village], threshold=threshold).pairs
        except Exception as err:  # noqa: BLE001 - counted and named: the point of this benchmark
            totals["failed"] += 1
            print(f"  {village}: alone failed: {type(err).__name__}: {str(err)[:100]}", flush=True)
            alone = []
        widened = [p for p in everything if p["a"] in inside and p["b"] in inside]
        for label, pairs in (("alone", alone), ("widened", widened)):
            totals[f"{label} found"] += len(pairs)
            totals[f"{label} right"] += sum(of[p["a"]] == of[p["b"]] for p in pairs)
    print(
        f"{how_many} villages, {totals['records']:,} records, {totals['true']:,} true pairs "
        f"({time.monotonic() - t0:.0f} s for the searches alone)"
    )
    for label in ("alone", "widened"):
        found, right = totals[f"{label} found"], totals[f"{label} right"]
        print(
            f"  {label:<8} precision {right / max(found, 1):.4f}  recall {right / max(totals['true'], 1):.4f}  "
            f"searches failed {totals['failed'] if label == 'alone' else 0}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--methods", default="exact,untuned,naikkelas", help="which to run, comma-separated")
    parser.add_argument("--stored", action="store_true", help="from the registry's tables to stored clusters")
    parser.add_argument(
        "--reuse", action="store_true", help="with --stored: the database an earlier run filled"
    )
    parser.add_argument("--villages", type=int, default=0, help="small regions: N villages alone and widened")
    args = parser.parse_args()
    if args.stored:
        for n in (int(s) for s in args.sizes.split(",")):
            stored(n, args.threshold, args.reuse)
        return
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
    import django

    django.setup()
    logging.getLogger("splink").setLevel(logging.ERROR)
    from naikkelas.intake.dedupe import find

    if args.villages:
        villages(int(args.sizes.split(",")[0]), args.villages, args.threshold)
        return
    for n in (int(s) for s in args.sizes.split(",")):
        records, truth = generate(n)
        print(f"\n{n:,} records, {len(set(truth)):,} real businesses", flush=True)
        methods = (
            ("exact", "exact match (name, village)", exact_baseline),
            ("untuned", "Splink untuned", untuned),
            (
                "naikkelas",
                "naikkelas (dedupe.find)",
                lambda rs: [(p["a"], p["b"]) for p in find(rs, threshold=args.threshold).pairs],
            ),
        )
        for key, label, method in methods:
            if key not in args.methods.split(","):
                continue
            t0 = time.monotonic()
            pairs = method(records)
            seconds = time.monotonic() - t0
            p, r, f1 = score(pairs, truth)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"  {label:<30} precision {p:.4f}  recall {r:.4f}  F1 {f1:.4f}  {seconds:7.1f} s  "
                f"peak {peak:,.0f} MB (process so far)",
                flush=True,
            )


if __name__ == "__main__":
    main()
