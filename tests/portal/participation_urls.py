"""The site's URLs plus stand-ins for the surveys and feedback apps' public pages, by the URL
names they agreed to provide (`surveys:public_index`, `feedback:new`)."""

from django.http import HttpResponse
from django.urls import include, path

from planwatch.urls import urlpatterns as site


def _stub(request: object) -> HttpResponse:
    return HttpResponse("ok")


surveys = ([path("gongkai/wenjuan/", _stub, name="public_index")], "surveys")
feedback = ([path("gongkai/liuyan/new", _stub, name="new")], "feedback")

urlpatterns = [path("", include(surveys)), path("", include(feedback)), *site]
