"""WSGI entry point for production servers (`planwatch serve` runs gunicorn on it)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
application = get_wsgi_application()
