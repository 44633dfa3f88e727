"""naikkelas import PATH: import an office's list of businesses as it is; exit 0 when processed, 2 when unreadable."""

import json
import logging
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from naikkelas.accounts.models import User
from naikkelas.accounts.services import system_user
from naikkelas.intake.reader import ReadError
from naikkelas.intake.services import MAPPING_SHAPE, ImportRefused, import_businesses, import_cooperatives

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Import businesses or cooperatives from .xlsx, .xls, .ods or .csv, as offices keep them."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", choices=["businesses", "cooperatives"], default="businesses")
        parser.add_argument("--sheet")
        parser.add_argument("--mapping", type=Path, help='JSON: {"HEADER or column letter": "field"}')
        parser.add_argument("--region", help="regency code of the file's places, e.g. 18.09")
        parser.add_argument("--user", help="import as this user (default: the system account)")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--report", type=Path, help="write the row-by-row report as JSON here")

    def handle(self, *args, **opts):
        translation.activate(settings.LANGUAGE_CODE)
        actor = User.objects.filter(username=opts["user"]).first() if opts["user"] else system_user()
        if actor is None:
            self.stderr.write(f"Pengguna '{opts['user']}' tidak ditemukan.")
            sys.exit(2)
        try:
            mapping = json.loads(opts["mapping"].read_text(encoding="utf-8")) if opts["mapping"] else None
            run = import_cooperatives if opts["kind"] == "cooperatives" else import_businesses
            report = run(
                actor=actor,
                path=opts["path"],
                sheet=opts["sheet"],
                mapping=mapping,
                region_code=opts["region"],
                dry_run=opts["dry_run"],
            )
        except (ReadError, ImportRefused, OSError) as exc:
            self.stderr.write(f"Berkas tidak dapat diimpor: {exc}")
            sys.exit(2)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self.stderr.write(f"Berkas tidak dapat diimpor: {MAPPING_SHAPE}")
            sys.exit(2)
        except Exception as exc:  # never a traceback: what went wrong, in one line, and nothing was saved
            log.exception("import of %s failed", opts["path"].name)
            self.stderr.write(
                f"Berkas tidak dapat diimpor: galat di naikkelas ({type(exc).__name__}); tidak ada yang disimpan."
            )
            sys.exit(2)
        if opts["report"]:
            try:
                with opts["report"].open("w", encoding="utf-8") as out:  # every problem, read back from disk
                    report.write_json(out)
            except OSError as exc:
                self.stderr.write(f"Laporan tidak dapat ditulis ke {opts['report']}: {exc.strerror or exc}")
                sys.exit(2)
        self.stdout.write(
            f"{report.file} / {report.sheet}: {report.rows} baris, {report.created} baru, {report.updated} diperbarui, "
            f"{report.unchanged} tetap, {report.rejected.rows} baris ditolak, {len(report.warnings)} peringatan"
            + (" (uji coba, tidak ada yang disimpan)" if opts["dry_run"] else "")
        )
