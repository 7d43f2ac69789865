"""WSGI entry point for production servers (`planwatch serve` runs gunicorn on it)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planwatch.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules: about 250,000 objects) lives as
# long as the worker. Moved out of the collector's generations, a full collection no longer
# walks them: measured on the whole-province 台账 (5,000 projects), full collections were
# most of its slow requests, about 100 ms each (decision record 0033).
gc.freeze()
