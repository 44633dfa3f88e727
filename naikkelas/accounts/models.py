"""A user has one role; admins are tied to a region, field officers to districts."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from naikkelas.accounts.constants import Role
from naikkelas.core import personal
from naikkelas.regions.models import Level


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.PUBLIC)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Province for a provincial admin, regency for a regency admin."),
    )
    districts = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="+",
        verbose_name=_("assigned districts"),
        limit_choices_to={"level": Level.DISTRICT},
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        expected = {Role.PROVINCE_ADMIN: Level.PROVINCE, Role.REGENCY_ADMIN: Level.REGENCY}.get(self.role)
        if expected and (self.region is None or self.region.level != expected):
            raise ValidationError(
                {
                    "region": _("This role needs a region of level %(level)s.")
                    % {"level": Level(expected).label}
                }
            )

    @property
    def effective_role(self) -> str:
        return Role.NATIONAL_ADMIN if self.is_superuser else self.role


class ApiToken(models.Model):
    """A bearer token: looked up by its hash; kept encrypted so `api_token` can print it again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    key_encrypted = models.TextField()
    name = models.CharField(_("name"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.user} {self.name}"

    @property
    def active(self) -> bool:

        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "", days: int | None = None) -> tuple["ApiToken", str]:
        """A new token, valid for `days` (default settings.API_TOKEN_DAYS)."""

        key = "nk_" + secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days or settings.API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user,
            key_hash=cls.hash(key),
            key_encrypted=personal.encrypt(key),
            name=name,
            expires_at=expires,
        )
        return token, key

    def reveal(self) -> str:
        return personal.decrypt(self.key_encrypted)
