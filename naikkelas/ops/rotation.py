"""NIK key rotation: every stored NIK re-encrypted and its look-up hash re-computed under NAIKKELAS_SECRET.

The old key stays listed in NAIKKELAS_OLD_SECRETS while this runs, so the app keeps reading (MultiFernet) and
finding people (personal.lookup_hashes) whichever key a row is under. Each batch is one transaction and a row
already under the new key is left alone, so a stopped rotation is simply started again."""

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import connection, transaction

from naikkelas.accounts.models import ApiToken
from naikkelas.core import personal
from naikkelas.registry.models import Person

EXIT_WRONG_KEY = 3  # some stored value is readable under no key in use: nothing was changed
EXIT_NOT_DONE = 4  # --check found values still under an old key


UPDATE_PERSON = f"UPDATE {Person._meta.db_table} SET nik_encrypted = %s, nik_hash = %s WHERE id = %s"  # noqa: S608


class RotationError(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@dataclass
class Tally:
    persons: int = 0
    persons_moved: int = 0
    tokens: int = 0
    tokens_moved: int = 0
    stale: list[str] = field(default_factory=list)


def _current_reads(token: str) -> str | None:
    try:
        return personal._fernet(settings.NAIKKELAS_SECRET).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def _unreadable(rows) -> int:
    bad = 0
    for _pk, token in rows:
        try:
            personal.decrypt(token)
        except ValueError:
            bad += 1
    return bad


def _persons():
    return Person.objects.exclude(nik_encrypted="").order_by("pk")


def precheck(out: Callable[[str], None] | None = None) -> None:
    """Refuse before writing anything when some NIK or token is readable under no key in use."""
    bad = _unreadable(_persons().values_list("pk", "nik_encrypted").iterator(chunk_size=5000))
    bad_tokens = _unreadable(ApiToken.objects.values_list("pk", "key_encrypted").iterator())
    if bad or bad_tokens:
        raise RotationError(
            f"{bad} NIK dan {bad_tokens} token API tidak terbaca dengan NAIKKELAS_SECRET maupun "
            "NAIKKELAS_OLD_SECRETS: kunci lama yang dicantumkan salah. Tidak ada yang diubah.",
            EXIT_WRONG_KEY,
        )


def rotate(batch: int = 2000, out: Callable[[str], None] | None = None) -> Tally:
    precheck(out)
    tally = Tally()
    total = _persons().count()
    last_pk = 0
    shown = 0
    while True:
        rows = list(_persons().filter(pk__gt=last_pk).values_list("pk", "nik_encrypted", "nik_hash")[:batch])
        if not rows:
            break
        last_pk = rows[-1][0]
        changed = []
        for pk, token, nik_hash in rows:
            nik = _current_reads(token)
            if nik is not None and nik_hash == personal.keyed_hash(nik):
                continue  # already under the new key (a rotation started again)
            nik = nik if nik is not None else personal.decrypt(token)
            changed.append((personal.encrypt(nik), personal.keyed_hash(nik), pk))
        if changed:  # one statement for the batch's rows (psycopg sends them pipelined)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(UPDATE_PERSON, changed)
        tally.persons += len(rows)
        tally.persons_moved += len(changed)
        if out and (tally.persons - shown >= max(total // 20, batch) or tally.persons == total):
            shown = tally.persons
            out(f"NIK: {tally.persons:,} / {total:,} ({100 * tally.persons // max(total, 1)} %)")
    with transaction.atomic():
        for token in ApiToken.objects.select_for_update().order_by("pk"):
            tally.tokens += 1
            if _current_reads(token.key_encrypted) is None:
                token.key_encrypted = personal.reencrypt(token.key_encrypted)
                token.save(update_fields=["key_encrypted"])
                tally.tokens_moved += 1
    return tally


def check(out: Callable[[str], None] | None = None) -> Tally:
    """Every NIK and token readable under the current key alone, every look-up hash the current key's."""
    tally = Tally()
    for pk, token, nik_hash in (
        _persons().values_list("pk", "nik_encrypted", "nik_hash").iterator(chunk_size=5000)
    ):
        tally.persons += 1
        nik = _current_reads(token)
        if nik is None or nik_hash != personal.keyed_hash(nik):
            tally.stale.append(f"person:{pk}")
    for pk, token in ApiToken.objects.values_list("pk", "key_encrypted"):
        tally.tokens += 1
        if _current_reads(token) is None:
            tally.stale.append(f"token:{pk}")
    return tally
