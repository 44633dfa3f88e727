"""The `naikkelas` console command: manage.py under a name an office can remember."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:  # a missing or wrong setting: say which, without a traceback
        sys.stderr.write(f"naikkelas: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
