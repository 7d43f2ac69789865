"""Plans in the Django admin, read-only: plans change only by ingesting documents (the
upload page or `planwatch ingest`), which keeps every change in one audited transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from planwatch.plans.models import Node, Plan, PlanVersion, Quantity, SourceDocument

if TYPE_CHECKING:
    _Admin = admin.ModelAdmin[Any]
else:
    _Admin = admin.ModelAdmin


class ReadOnlyAdmin(_Admin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ("title", "slug", "org_unit", "current_version", "sort_order")
    list_select_related = ("org_unit", "current_version")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "document", "created_at")
    list_filter = ("plan",)
    list_select_related = ("document",)
    exclude = ("diff",)


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadOnlyAdmin):
    list_display = ("name", "format", "size", "pages", "ingested_at", "ingested_by")
    exclude = ("content",)
    list_select_related = ("ingested_by",)


@admin.register(Node)
class NodeAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "label", "title", "page", "line", "version")
    list_filter = ("kind",)
    search_fields = ("title", "text", "key")
    list_select_related = ("version",)


@admin.register(Quantity)
class QuantityAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "role", "value", "unit", "year", "attribute", "version")
    list_filter = ("role", "attribute")
    search_fields = ("indicator", "text")
    list_select_related = ("version",)
