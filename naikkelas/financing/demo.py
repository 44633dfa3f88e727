"""Demo capital access in Pesawaran: a revolving fund with a year of repayments (some loans late, so PAR 30 has
something to show), a packaging grant, and KUR referrals at every stage."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from naikkelas.accounts.models import User
from naikkelas.financing import rules, services
from naikkelas.financing.loans import months_after
from naikkelas.financing.models import Programme
from naikkelas.registry.models import Business

REVOLVING = "Dana Bergulir Pesawaran 2026"


def _through(admin, officer, application, *, stop: str, on=None):
    """Move an application along the workflow up to `stop` (diajukan … dicairkan)."""
    order = ["diajukan", "diverifikasi", "disetujui", "dicairkan"]
    if stop in ("diverifikasi", "disetujui", "dicairkan", "ditolak_verified"):
        application = services.application_verify(
            actor=officer, application=application, note="Dicek di lokasi usaha"
        )
    if stop == "ditolak_verified":
        return services.application_reject(
            actor=admin, application=application, note="Usaha tidak sesuai pengajuan"
        )
    if order.index(stop) >= 2:
        application = services.application_approve(actor=admin, application=application)
    if stop == "dicairkan":
        application = services.application_disburse(
            actor=admin, application=application, disbursed_on=on, reference="SP2D demo"
        )
    return application


def _accepts(programme: Programme, business: Business, amount: int, on) -> bool:
    """The programme's own rules, as an officer's approval will check them."""
    facts = rules.facts_for(business, on)
    return not rules.eligibility(programme, business, facts, amount=amount, on=on)


@transaction.atomic
def demo_financing(*, today: date | None = None, seed: int = 21) -> int:
    """Returns the number of applications made (0 when the demo already has its programmes)."""
    admin = User.objects.filter(username="admin.pesawaran").first()
    officer = User.objects.filter(username="petugas.gedongtataan").first() or admin
    if admin is None or Programme.objects.filter(name=REVOLVING).exists():
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    base = {
        "region": "18.09",
        "opens_on": (today - timedelta(days=420)).isoformat(),
        "closes_on": (today + timedelta(days=60)).isoformat(),
    }
    fund = services.programme_create(
        actor=admin,
        data=base
        | {
            "name": REVOLVING,
            "kind": "bergulir",
            "budget": "750.000.000",
            "max_amount": "10.000.000",
            "statuses": ["operating", "modern"],
            "rate_percent": "6",
            "term_months": "12",
            "method": "flat",
            "description": "Pinjaman lunak untuk modal kerja UMKM binaan yang sudah beroperasi.",
        },
    )
    grant = services.programme_create(
        actor=admin,
        data=base
        | {
            "name": "Hibah Kemasan dan Alat Produksi 2026",
            "kind": "hibah",
            "budget": "150.000.000",
            "max_amount": "5.000.000",
            "statuses": ["operating", "modern"],
            "size_classes": ["mikro"],
            "description": "Bantuan kemasan, label halal dan alat sederhana untuk usaha mikro.",
        },
    )
    kur = services.programme_create(
        actor=admin,
        data=base
        | {
            "name": "Rujukan KUR Mikro 2026",
            "kind": "kur",
            "budget": "2.000.000.000",
            "max_amount": "50.000.000",
            "description": "Pendampingan pengajuan KUR ke bank penyalur.",
        },
    )
    # Applicants are drawn from the officer's district among the businesses each programme accepts on the day
    # the demo is loaded, so the demo works whatever that day is; each business applies to one programme.
    pool = list(
        Business.objects.filter(village__code__startswith="18.09.01.").order_by("pk").select_related("owner")
    )
    rng.shuffle(pool)
    used: set[int] = set()
    made = 0

    def apply(programme, amount):
        nonlocal made
        business = next((b for b in pool if b.pk not in used and _accepts(programme, b, amount, today)), None)
        if business is None:
            return None  # a small demo ran out of eligible businesses
        used.add(business.pk)
        made += 1
        return services.application_submit(
            actor=officer,
            programme=programme,
            business=business,
            amount=amount,
            purpose=rng.choice(
                [
                    "Tambah modal kerja bahan baku",
                    "Beli mesin pengemas",
                    "Renovasi tempat produksi",
                    "Etalase dan gerobak",
                ]
            ),
        )

    for n in range(36):
        amount = rng.randrange(3_000_000, 10_000_001, 500_000)
        stage = "dicairkan" if n < 24 else "disetujui" if n < 28 else "diverifikasi" if n < 32 else "diajukan"
        on = today - timedelta(days=rng.randint(90, 360))
        application = apply(fund, amount)
        if application is None:
            break
        application = _through(admin, officer, application, stop=stage, on=on)
        if stage != "dicairkan":
            continue
        habit = rng.random()  # most pay on time; some stop; some pay part
        stop_after = 12 if habit < 0.7 else rng.randint(1, 5)
        for line in application.installments.all():
            if line.due_on > today or line.number > stop_after:
                break
            paid = line.amount if habit < 0.9 else line.amount // 2
            services.payment_record(actor=officer, application=application, paid_on=line.due_on, amount=paid)
    for n in range(14):
        stage = ["dicairkan"] * 8 + ["ditolak_verified"] * 2 + ["diajukan"] * 4
        application = apply(grant, rng.randrange(1_000_000, 5_000_001, 250_000))
        if application is None:
            break
        _through(admin, officer, application, stop=stage[n], on=today - timedelta(days=rng.randint(20, 200)))
    banks = ["BRI Unit Gedong Tataan", "BNI KCP Pesawaran", "Bank Lampung Cabang Pesawaran"]
    for n in range(10):
        application = apply(kur, rng.randrange(10_000_000, 50_000_001, 5_000_000))
        if application is None:
            break
        application = _through(admin, officer, application, stop="disetujui" if n < 8 else "diverifikasi")
        if n >= 8:
            continue
        referred = today - timedelta(days=rng.randint(15, 120))
        services.referral_record(
            actor=officer, application=application, data={"bank": banks[n % 3], "on": referred.isoformat()}
        )
        if n < 3:
            services.referral_record(
                actor=officer,
                application=application,
                data={
                    "status": "cair_bank",
                    "bank_amount": application.amount_approved,
                    "on": min(today, months_after(referred, 1)).isoformat(),
                },
            )
        elif n == 3:
            services.referral_record(
                actor=officer,
                application=application,
                data={"status": "ditolak_bank", "on": today.isoformat(), "note": "Riwayat kredit bermasalah"},
            )
    # The demo owner's own KUR request, just sent: the owner sees where it stands.
    own = Business.objects.filter(owner__user__username="pemilik").order_by("pk").first()
    if own is not None and not own.applications.exists() and _accepts(kur, own, 20_000_000, today):
        services.application_submit(
            actor=officer, programme=kur, business=own, amount=20_000_000, purpose="Tambah kolam dan pakan"
        )
        made += 1
    made += _lampung_selatan(today, rng)
    return made


def _lampung_selatan(today: date, rng: random.Random) -> int:
    """Lampung Selatan's own KUR referrals, so its admin has decisions to take."""
    admin = User.objects.filter(username="admin.lamsel").first()
    if admin is None:
        return 0
    kur = services.programme_create(
        actor=admin,
        data={
            "region": "18.01",
            "opens_on": (today - timedelta(days=90)).isoformat(),
            "closes_on": (today + timedelta(days=90)).isoformat(),
            "name": "Rujukan KUR Mikro Lampung Selatan",
            "kind": "kur",
            "budget": "1.000.000.000",
            "max_amount": "50.000.000",
            "description": "Pendampingan pengajuan KUR ke bank penyalur di Lampung Selatan.",
        },
    )
    made = 0
    for business in Business.objects.filter(village__code__startswith="18.01.").order_by("pk")[:40]:
        if made == 4:
            break
        amount = rng.randrange(10_000_000, 50_000_001, 5_000_000)
        if not _accepts(kur, business, amount, today):
            continue
        application = services.application_submit(
            actor=admin, programme=kur, business=business, amount=amount, purpose="Tambah modal kerja"
        )
        if made % 2:
            _through(admin, admin, application, stop="diverifikasi")
        made += 1
    return made
