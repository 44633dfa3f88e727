"""WSGI entry point: `gunicorn naikkelas.wsgi`."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
try:
    application = get_wsgi_application()
except (
    ImproperlyConfigured
) as exc:  # a missing or wrong setting: say which in the service's log, not a traceback
    sys.stderr.write(f"naikkelas: {exc}\n")
    sys.exit(4)  # gunicorn's "app failed to load": its master stops instead of starting workers again
