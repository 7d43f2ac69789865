"""Organisation units in the Django admin: the tree is reference data loaded from files, so
the admin browses it and edits only the hand-editable fields, through the audited service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from planwatch.orgunits.models import OrgUnit, OrgUnitAlias
from planwatch.orgunits.services import EDITABLE_FIELDS, orgunit_update

if TYPE_CHECKING:
    _OrgUnitAdmin = admin.ModelAdmin[OrgUnit]
    _AliasAdmin = admin.ModelAdmin[OrgUnitAlias]
else:
    _OrgUnitAdmin = admin.ModelAdmin
    _AliasAdmin = admin.ModelAdmin


@admin.register(OrgUnitAlias)
class OrgUnitAliasAdmin(_AliasAdmin):
    """Names a unit goes by in imported lists; add one when an import reports an unknown
    unit that is really a known one."""

    list_display = ("name", "org_unit", "generated")
    list_filter = ("generated",)
    search_fields = ("name", "org_unit__name", "org_unit__short_name")
    raw_id_fields = ("org_unit",)


@admin.register(OrgUnit)
class OrgUnitAdmin(_OrgUnitAdmin):
    list_display = ("name", "short_name", "kind", "code", "adcode", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code", "adcode", "former_names")
    ordering = ("sort_order", "path")
    list_select_related = ("parent",)
    fields = ("code", "name", "kind", "adcode", "parent", "path", *EDITABLE_FIELDS)
    readonly_fields = ("code", "name", "kind", "adcode", "parent", "path")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units come from the reference files (`planwatch setup`)

    def has_delete_permission(self, request: HttpRequest, obj: OrgUnit | None = None) -> bool:
        return False  # deactivate instead: roles and tasks point at units

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        changes = {f: form.cleaned_data[f] for f in EDITABLE_FIELDS if f in form.cleaned_data}
        orgunit_update(unit=obj, actor=request.user, **changes)
