"""Retention (UU 27/2022 Pasal 16 ayat 2 huruf f and Pasal 43: data is kept only as long as its purpose, or a law,
needs it). Per record type a period with its reason; `naikkelas retention` deletes or anonymises what is due and
writes a summary (RetentionRun). A dry run first: it counts and changes nothing, and `--apply` on a server that has
never had a dry run makes one instead. Periods are settings (NAIKKELAS_RETENTION_<KEY>_DAYS).

What a law keeps is not here: the registry (the office's public task: PP 7/2021, the single KUMKM database), state
finance records (capital aid, 10 years), and the audit trail's facts. The audit trail keeps, past its period, who did
what to which record and when, but no longer the values before and after (its data)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.core.models import AuditLog, OutboxMessage
from naikkelas.privacy.models import Consent, DataRequest, PhoneCode, RetentionRun

DELETE, STRIP = "delete", "strip"


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    default_days: int
    reason: str
    due: Callable[[datetime], QuerySet]  # what is past the cut-off
    action: str = DELETE

    @property
    def days(self) -> int:
        return int(settings.RETENTION_DAYS.get(self.key, self.default_days))


RULES = [
    Rule("phone_codes", _("One-time codes of requests by phone"), 1,
         _("a code serves only the request it was made for"),
         lambda cut: PhoneCode.objects.filter(expires_at__lt=cut)),
    Rule("outbox", _("Messages to people (outbox)"), 30,
         _("the outbox only carries a message; what it answered is kept with the request"),
         lambda cut: OutboxMessage.objects.filter(created_at__lt=cut)),
    Rule("data_requests", _("Answered requests about personal data"), 5 * 365,
         _("proof to the supervising authority that requests were answered in time (Pasal 47)"),
         lambda cut: DataRequest.objects.exclude(status="open").filter(decided_at__lt=cut)),
    Rule("withdrawn_consents", _("Withdrawn consents"), 5 * 365,
         _("proof that a consent was given and withdrawn, for as long as a claim about it may be made"),
         lambda cut: Consent.objects.filter(withdrawn_at__lt=cut)),
    Rule("audit_values", _("Values in the audit trail (before and after a change)"), 10 * 365,
         _("the archive law's period for activity records; the fact of each change is kept, its data is not"),
         lambda cut: AuditLog.objects.filter(at__lt=cut).exclude(before=None, after=None), STRIP),
]  # fmt: skip


def run(*, apply: bool, now: datetime | None = None) -> RetentionRun:
    """Count (dry run) or carry out every rule; the summary is kept. An apply that no dry run preceded is a dry
    run (the office sees what would go before anything goes)."""
    now = now or timezone.now()
    dry = not apply or not RetentionRun.objects.filter(dry_run=True).exists()
    counts = {}
    with transaction.atomic():
        for rule in RULES:
            due = rule.due(now - timedelta(days=rule.days))
            if dry:
                counts[rule.key] = due.count()
            elif rule.action == STRIP:
                counts[rule.key] = due.update(before=None, after=None)
            else:
                counts[rule.key] = due.delete()[0]
        return RetentionRun.objects.create(ran_at=now, dry_run=dry, asked_to_apply=apply, counts=counts)
