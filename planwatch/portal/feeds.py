"""The Atom feed of what was newly published (/gongkai/feed.atom): Django's syndication
framework with its Atom 1.0 generator. Only live publications whose object the public may
still read, newest first."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from planwatch.portal import selectors as s
from planwatch.publication.models import Publication

URL_NAMES = {
    "list": "portal:list",
    "task": "portal:task",
    "indicator": "portal:indicator",
    "project": "portal:project",
    "index_edition": "portal:index_edition",
    "result_edition": "portal:result_edition",
}


def portal_url(publication: Publication) -> str:
    return reverse(URL_NAMES[publication.kind], args=[publication.subject_id])


class NewlyPublished(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = _("四川省区域规划实施情况 · 新公开")
    subtitle = _("规划实施监测评估系统公开发布的年度重点任务、指标、重大项目和一体化发展指数。")
    language = "zh-hans"

    def link(self) -> str:
        return reverse("portal:home")

    def items(self) -> list[Publication]:
        return s.latest_publications(50)

    def item_title(self, item: Publication) -> str:
        return f"{item.get_kind_display()}：{item.label}"

    def item_description(self, item: Publication) -> str:
        return item.note or item.label

    def item_link(self, item: Publication) -> str:
        return portal_url(item)

    def item_guid(self, item: Publication) -> str:
        return f"planwatch:publication:{item.pk}"

    def item_guid_is_permalink(self, item: Publication) -> bool:
        return False

    def item_pubdate(self, item: Publication) -> Any:
        return item.published_at

    def item_updateddate(self, item: Publication) -> Any:
        return item.published_at
