"""naikkelas api_token USERNAME: print a working API token for the user, creating one if needed."""

from django.core.management.base import BaseCommand, CommandError

from naikkelas.accounts.models import User
from naikkelas.accounts.services import api_token_get_or_create


class Command(BaseCommand):
    help = "Print a working API token for USERNAME (creates one if the user has none)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **opts):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna '{username}' tidak ditemukan.")
        self.stdout.write(api_token_get_or_create(user=user))
