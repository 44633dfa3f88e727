"""Messages to people (one-time codes, answers to their requests, breach notices): queued in the outbox, then
sent by the office's SMS gateway or by e-mail in the background worker, or by an officer through a WhatsApp link
where no gateway is set.

The gateway is any HTTP endpoint that takes `POST {"to": "+62…", "text": "…"}` as JSON (most Indonesian SMS and
WhatsApp gateways take this or can be put behind a small adapter), with `Authorization: Bearer <token>` when
NAIKKELAS_SMS_GATEWAY_TOKEN is set. A message is tried NAIKKELAS_OUTBOX_TRIES times; the error is kept
(without the text) for the outbox page.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from naikkelas.core import phones
from naikkelas.core.models import Channel, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


def gateway_set() -> bool:
    return bool(settings.SMS_GATEWAY_URL)


def queue(*, to: str, text: str, purpose: str, channel: str = Channel.SMS, region_code: str = "",
          secret: bool = False) -> OutboxMessage:  # fmt: skip
    """Keep the message; once the transaction commits, the worker sends it (a phone message only when a gateway
    is set, else it waits for an officer)."""
    message = OutboxMessage.objects.create(channel=channel, to=to, text=text, purpose=purpose,
                                           region_code=region_code, secret=secret)  # fmt: skip
    if channel == Channel.EMAIL or gateway_set():
        transaction.on_commit(lambda: deliver.enqueue(message.pk))
    return message


@task()
def deliver(message_id: int) -> str:
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.WAITING).first()
    if message is None:
        return "gone"
    return send(message)


def send(message: OutboxMessage) -> str:
    """Try once; a message that failed NAIKKELAS_OUTBOX_TRIES times is marked not sent."""
    message.attempts += 1
    try:
        if message.channel == Channel.EMAIL:
            send_mail(subject=message.text.split("\n", 1)[0][:120], message=message.text,
                      from_email=None, recipient_list=[message.to])  # fmt: skip
        elif gateway_set():
            _post(message)
        else:
            message.attempts -= 1
            return "waiting"  # an officer sends it from the outbox page
    except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
        message.error = f"{type(exc).__name__}: {getattr(exc, 'code', '') or getattr(exc, 'reason', '')}"[
            :200
        ]
        if message.attempts >= settings.OUTBOX_TRIES:
            message.status = OutboxStatus.FAILED
        message.save(update_fields=["attempts", "error", "status"])
        log.warning("outbox message %s not sent (try %s): %s", message.pk, message.attempts, message.error)
        if message.status == OutboxStatus.WAITING:
            _again(message.pk)
        return "failed"
    mark_sent(message)
    return "sent"


def _again(message_id: int) -> None:
    """The next try in a minute where the queue can wait (the database worker), else at once."""
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=timezone.now() + timedelta(minutes=1)).enqueue(message_id)
    else:
        deliver.enqueue(message_id)


def _post(message: OutboxMessage) -> None:
    body = json.dumps({"to": message.to, "text": message.text}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body, headers=headers, method="POST")  # noqa: S310 - the office's own gateway
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        if response.status >= 300:
            raise ValueError(response.status)


def mark_sent(message: OutboxMessage) -> None:
    message.status, message.sent_at, message.error = OutboxStatus.SENT, timezone.now(), ""
    if message.secret:
        message.text = ""  # a code sent is nobody's business any more
    message.save(update_fields=["status", "sent_at", "error", "text", "attempts"])


def whatsapp_link(message: OutboxMessage) -> str:
    """For an officer sending it by hand from their own WhatsApp."""
    return phones.whatsapp_link(message.to, message.text)
