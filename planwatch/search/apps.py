from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "planwatch.search"
    label = "search"

    def ready(self) -> None:
        from planwatch.core import hooks
        from planwatch.search.segment import prefetch_base
        from planwatch.search.services import index_plan_versions, unindex_plan

        hooks.plan_versions_stored.connect(index_plan_versions)
        hooks.plan_deleted.connect(unindex_plan)
        hooks.plan_ingest_storing.connect(prefetch_base)
