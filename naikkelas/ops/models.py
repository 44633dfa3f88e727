"""What the server's own health check reads: the worker's heartbeat and the last backup."""

from django.db import models


class Heartbeat(models.Model):
    """One row per beating thing ("worker:<id>", "backup"), updated in place."""

    name = models.CharField(max_length=100, unique=True)
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
