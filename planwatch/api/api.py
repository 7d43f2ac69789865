"""The JSON API under /api/v1/: read endpoints for plans, nodes, targets, places,
organisation units and search, with token authentication for scripts.

Access, per endpoint (also in each operation's description and `x-access`):
- public (anonymous allowed; a token or session may be sent): plans, nodes, targets,
  places, organisation units (the reference tree), search. Plans are public documents.
  /public/* reads what planners have published (tasks, verified observations of published
  indicators, projects with their yearly figures, index values, assessment scores): the
  open data of /gongkai/data/, page by page.
- signed in (token or session): /me, /tokens (the caller's own tokens), and
  /orgunits/{code}/members (who holds which role — for units the caller's own roles
  cover, superusers everywhere; for anyone else the unit is "not found").
A token that is sent but unknown or revoked gives 401 on every endpoint.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from planwatch.api.errors import install_error_handlers

DESCRIPTION = __doc__ or ""


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes: a third the size and
    readable in a terminal."""

    json_dumps_params = {"ensure_ascii": False}


class PlanwatchAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Public operations accept no authentication as well: say so with an empty
        security requirement, which OpenAPI reads as "optional"."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if operation.get("x-access") == "public" and operation.get("security"):
                    operation["security"] = [{}, *operation["security"]]
        return schema


api = PlanwatchAPI(
    title="planwatch API",
    version="1",
    description=DESCRIPTION,
    docs_url=None,
    urls_namespace="api-v1",
    renderer=ChineseJSONRenderer(),
)
install_error_handlers(api)


def _register() -> None:
    from planwatch.api.assessments import router as assessments_router
    from planwatch.api.documents import router as documents_router
    from planwatch.api.feedback import router as feedback_router
    from planwatch.api.implementation import router as implementation_router
    from planwatch.api.indicators import router as indicators_router
    from planwatch.api.integration_index import router as integration_index_router
    from planwatch.api.orgunits import router as orgunits_router
    from planwatch.api.plans import router as plans_router
    from planwatch.api.projects import router as projects_router
    from planwatch.api.public_data import router as public_data_router
    from planwatch.api.search import router as search_router
    from planwatch.api.surveys import router as surveys_router

    api.add_router("", plans_router)
    api.add_router("", orgunits_router)
    api.add_router("", search_router)
    api.add_router("", implementation_router)
    api.add_router("", indicators_router)
    api.add_router("", projects_router)
    api.add_router("", integration_index_router)
    api.add_router("", assessments_router)
    api.add_router("", documents_router)
    api.add_router("", surveys_router)
    api.add_router("", feedback_router)
    api.add_router("", public_data_router)


_register()
