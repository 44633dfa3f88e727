"""WSGI entry point: `gunicorn naikkelas.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
application = get_wsgi_application()
