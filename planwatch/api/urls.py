"""URLs of the JSON API: the django-ninja routes, then a JSON 404 for any other path."""

from django.urls import URLPattern, URLResolver, path, re_path

from planwatch.api.api import api
from planwatch.api.errors import json_errors, not_found_view

_patterns, _app, _namespace = api.urls
for _p in _patterns:
    if isinstance(_p, URLPattern):
        _p.callback = json_errors(_p.callback)

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", (_patterns, _app, _namespace)),
    re_path(r"^api/v1/", not_found_view),
]
