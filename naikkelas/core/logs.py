"""Logs without personal data: every record's message and arguments pass through the NIK mask before any
handler writes them (plain text or JSON lines), and Sentry events the same way before they are sent."""

import logging

from naikkelas.core.personal import mask_nik_runs


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_nik_runs(record.msg)
        if record.args:
            record.args = (
                mask_nik_runs(record.args)
                if isinstance(record.args, dict)
                else tuple(mask_nik_runs(list(record.args)))
            )
        return True


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's before_send: NIK-like runs masked in the whole event (messages, exception values, request)."""
    return mask_nik_runs(event)
