"""The site's URLs plus stand-ins for the surveys and feedback apps' public pages, by the URL
names they agreed to provide (`surveys:public_index`, `feedback:new`)."""

from django.http import HttpResponse
from django.urls import include, path

from planwatch.urls import urlpatterns as site


def _stub(request: object) -> HttpResponse:
    return HttpResponse("ok")


surveys = ([path("gongkai/wenjuan/", _stub, name="public_index")], "surveys")
feedback = ([path("gongkai/liuyan/new", _stub, name="new")], "feedback")


def _installed(namespace: str) -> bool:
    return any(getattr(p, "namespace", None) == namespace for p in site)


urlpatterns = [
    *([] if _installed("surveys") else [path("", include(surveys))]),
    *([] if _installed("feedback") else [path("", include(feedback))]),
    *site,
]
