"""URLs of the open data (公开数据): stable addresses under /gongkai/data/."""

from django.urls import path, re_path

from planwatch.portal.opendata import views

app_name = "opendata"

urlpatterns = [
    path("gongkai/data/", views.data_index, name="index"),
    path("gongkai/data/datapackage.json", views.datapackage_view, name="datapackage"),
    re_path(
        r"^gongkai/data/(?P<name>[a-z_]+)\.(?P<fmt>csv|json|xlsx)$",
        views.download,
        name="download",
    ),
    re_path(r"^gongkai/data/(?P<name>[a-z_]+)/$", views.dataset_page, name="dataset"),
]
