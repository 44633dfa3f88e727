"""`naikkelas retention`: what the retention rules would delete (a dry run); `--apply` deletes it. Run nightly
by naikkelas-backup.service, after the backup."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from naikkelas.privacy import retention


class Command(BaseCommand):
    help = "Retention of personal data: count what is due (dry run) or, with --apply, delete or anonymise it."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="delete what is due (after a first dry run)")

    def handle(self, *args, apply: bool, **options):
        done = retention.run(apply=apply)
        if done.dry_run:
            self.stdout.write(_("Dry run: nothing was deleted. Due now:"))
        else:
            self.stdout.write(_("Deleted or anonymised:"))
        for rule in retention.RULES:
            self.stdout.write(
                f"  {rule.label}: {done.counts.get(rule.key, 0):,} ({_('kept %(days)s days') % {'days': rule.days}})"
            )
        if apply and done.dry_run:
            self.stdout.write(
                _(
                    "This server had no dry run yet: this run was one. Check the figures, then run again with --apply."
                )
            )
