"""The counts an office may divide into an indicator of its own, each with the filters it takes."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from naikkelas.lifecycle import funnel
from naikkelas.planning import indicators as ind
from naikkelas.registry.constants import CooperativeStatus, CooperativeType, SizeClass
from naikkelas.registry.models import Cooperative

FILTERS = {
    "sektor": (_("sector"), None),  # any text, as the registry's sectors
    "skala": (_("size class"), SizeClass.values),
    "jenis": (_("cooperative type"), CooperativeType.values),
}


@dataclass(frozen=True)
class Count:
    name: str
    label: str
    filters: tuple[str, ...]
    compute: Callable[[str, date, dict], int]


def _funnel(stage: str) -> Callable[[str, date, dict], int]:
    def compute(code: str, as_of: date, f: dict) -> int:
        total = funnel.funnel_counts(
            region=ind._region(code), as_of=as_of, sector=f.get("sektor", ""), size_class=f.get("skala", "")
        ).total
        return getattr(total, stage)

    return compute


def _cooperatives(active_only: bool) -> Callable[[str, date, dict], int]:
    def compute(code: str, as_of: date, f: dict) -> int:
        status = ind.cooperative_status_on(code, as_of)
        if f.get("jenis"):
            kept = set(
                Cooperative.objects.filter(pk__in=list(status), type=f["jenis"]).values_list("pk", flat=True)
            )
            status = {pk: s for pk, s in status.items() if pk in kept}
        wanted = {CooperativeStatus.ACTIVE} if active_only else set(CooperativeStatus.values) - {"dibubarkan"}
        return sum(1 for s in status.values() if s in wanted)

    return compute


def _numerator_of(indicator: str) -> Callable[[str, date, dict], int]:
    return lambda code, as_of, f: ind.BY_CODE[indicator].compute(code, as_of).numerator or 0


COUNTS = {
    count.name: count
    for count in [
        Count("usaha_terdata", "UMKM terdata", ("sektor", "skala"), _funnel("registered")),
        Count("usaha_beroperasi", "UMKM beroperasi", ("sektor", "skala"), _funnel("operating")),
        Count("usaha_modern", "UMKM modern dan berinovasi", ("sektor", "skala"), _funnel("modern")),
        Count("usaha_ber_nib", "UMKM ber-NIB", (), _numerator_of("UMKM-04")),
        Count("usaha_halal_pirt", "UMKM bersertifikat halal/PIRT", (), _numerator_of("UMKM-05")),
        Count("koperasi", "Koperasi belum dibubarkan", ("jenis",), _cooperatives(active_only=False)),
        Count("koperasi_aktif", "Koperasi aktif", ("jenis",), _cooperatives(active_only=True)),
        Count("lulusan_pelatihan_umkm", "SDM UMKM terlatih", (), _numerator_of("SDM-01")),
        Count("lulusan_pelatihan_koperasi", "SDM koperasi terlatih", (), _numerator_of("SDM-02")),
        Count("produk_daring", "Produk dipromosikan daring", (), _numerator_of("PROM-01")),
    ]
}
