"""The search page: one URL for the whole page and, for htmx requests, the results alone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from planwatch.orgunits.models import OrgUnit
from planwatch.search.forms import SearchForm
from planwatch.search.links import node_url
from planwatch.search.selectors import search_nodes

PER_PAGE = 20


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, viewer=request.user)
    q = form.value("q") or ""
    page = form.value("page") or 1
    place_code = form.value("place")
    place = OrgUnit.objects.filter(code=place_code).first() if place_code else None
    results = None
    if q:
        results = search_nodes(
            viewer=request.user,
            q=q,
            plan=form.value("plan"),
            kind=form.value("kind") or None,
            place=place,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        )
    hits = [(h, node_url(h.node, h.plan)) for h in results.hits] if results else []
    pages = (results.total + PER_PAGE - 1) // PER_PAGE if results else 0
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "q": q,
        "results": results,
        "hits": hits,
        "page": page,
        "pages": pages,
        "query_string": params.urlencode(),
    }
    # Search results swap into the page; a history restore asks for the whole page.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "search/partials/_results.html" if partial else "search/search.html"
    return render(request, template, context)
