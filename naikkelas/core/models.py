"""The audit log: who changed or viewed which record, when, and what it was before and after."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from naikkelas.core.describe import changes, export_words, record_label


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    STATUS = "status", _("Status changed")
    VIEW_NIK = "view_nik", _("Viewed unmasked NIK")
    EXPORT = "export", _("Exported")
    REFUSED = "refused", _("Refused (outside the actor's area)")


class AuditLog(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    # The region of the record, so that the log itself can be scoped like the records it describes.
    region_code = models.CharField(_("region"), max_length=13, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) in words: choice labels, names of related records (core.describe)."""

        if self.action == AuditAction.EXPORT:
            return export_words(self.after)
        return changes(self.object_type, self.before, self.after)

    @property
    def record_label(self) -> str:

        return record_label(self.object_type)


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class OutboxStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class OutboxMessage(models.Model):
    """A message naikkelas sends to a person (a one-time code, the answer to their request, a breach notice),
    kept until it is sent: by the SMS gateway an office sets (NAIKKELAS_SMS_GATEWAY_URL) or by e-mail, else by an
    officer from the outbox page through a WhatsApp link. Deleted after NAIKKELAS_OUTBOX_DAYS (core.retention)."""

    scope_region_field = "region_code"

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("to"), max_length=254)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=40)
    # A one-time code: an officer sends it by hand only where no gateway is set, and it is not shown once sent.
    secret = models.BooleanField(default=False)
    region_code = models.CharField(_("region"), max_length=13, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.WAITING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.purpose}"
