"""The duplicate search on Spark: the same model, run on a local Spark session (pyspark, the machine's Java),
finds the same clusters as on DuckDB, for businesses and for persons, and the command runs it end to end."""

import json
import os
import shutil

import pytest
from django.core.management import call_command

from naikkelas.intake import dedupe
from naikkelas.intake.models import DuplicateCluster, DuplicateRun, RecordKind
from tests.intake.test_dedupe import _owner, generated
from tests.intake.test_person_duplicates import generated_persons

JAVA = shutil.which("java")
pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:::pyspark"),  # pyspark's notices about pandas 3 and Arrow
    pytest.mark.skipif(not JAVA and not os.environ.get("CI"), reason="Spark needs Java 17+ (CI requires it)"),
]


@pytest.fixture(scope="module")
def spark():
    session = dedupe.spark_session()
    yield session
    session.stop()


def test_spark_finds_the_same_clusters_as_duckdb(spark):
    rows, _truth = generated(seed=21, entities=250, households=30)
    on_duckdb = dedupe.find(rows, backend="duckdb")
    on_spark = dedupe.find(rows, backend="spark")
    assert len(on_duckdb.clusters) > 50
    assert on_spark.clusters == on_duckdb.clusters
    probabilities = {(p["a"], p["b"]): p["probability"] for p in on_duckdb.pairs}
    assert {(p["a"], p["b"]) for p in on_spark.pairs} == set(probabilities)
    assert all(abs(p["probability"] - probabilities[p["a"], p["b"]]) < 0.01 for p in on_spark.pairs)

    people, _ = generated_persons(seed=6, people=200, couples=25)
    persons_duckdb = dedupe.find(people, backend="duckdb", kind=dedupe.PERSON)
    persons_spark = dedupe.find(people, backend="spark", kind=dedupe.PERSON)
    assert len(persons_duckdb.clusters) > 30 and persons_spark.clusters == persons_duckdb.clusters


@pytest.mark.django_db
def test_the_command_runs_on_spark_into_the_review_queue(spark, villages, tmp_path):
    from naikkelas.registry.models import Business

    rows, _truth = generated(seed=3, entities=120, households=10)
    for row in rows:  # a district of Pesawaran, and another one the model also learns from
        village = villages["gedong"] if row["village"] < "18.09.08" else villages["pesawaran_other"]
        Business.objects.create(
            name=row["name"],
            owner=_owner(row),
            village=village,
            address=row["address"],
            phone=row["phone"] or "",
        )
    report = tmp_path / "spark.json"
    call_command(
        "dedupe", "--region", "18.09.01", "--backend", "spark", "--kind", "business", "--report", str(report)
    )
    on_spark = json.loads(report.read_text())
    run = DuplicateRun.objects.get()
    inside = set(Business.objects.filter(village=villages["gedong"]).values_list("pk", flat=True))
    assert run.backend == "spark" and run.records == len(inside) < run.trained_on == len(rows)
    stored = sorted(c.members for c in DuplicateCluster.objects.filter(run=run, kind=RecordKind.BUSINESS))
    assert stored == sorted(on_spark["clusters"]) and len(stored) > 15
    assert {m for c in stored for m in c} <= inside
    call_command(
        "dedupe",
        "--region",
        "18.09.01",
        "--backend",
        "duckdb",
        "--kind",
        "business",
        "--report",
        str(tmp_path / "duckdb.json"),
    )
    assert json.loads((tmp_path / "duckdb.json").read_text())["clusters"] == on_spark["clusters"]
