"""Accounts and memberships in the Django admin.

Memberships are granted and revoked through the same services as in the application (so they
are checked and audited); every other change the admin makes to an account is written to the
audit log from the admin's own change log hooks. Accounts are never deleted, only disabled.
Staff who are not superusers see only the accounts they manage and cannot touch the
superuser, staff, group or permission flags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from planwatch.accounts import services
from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.accounts.permissions import can_manage_user, can_manage_users
from planwatch.accounts.selectors import user_list_for
from planwatch.audit.services import audit_record

User = get_user_model()

if TYPE_CHECKING:
    _Inline = admin.TabularInline[Membership, AbstractUser]
    _MembershipAdmin = admin.ModelAdmin[Membership]
else:
    _Inline = admin.TabularInline
    _MembershipAdmin = admin.ModelAdmin


class MembershipAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """Checks the services' rules up front, so a refused grant is a form error, not a 500."""

    class Meta:
        model = Membership
        fields = ["user", "org_unit", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, role = data.get("org_unit"), data.get("role")
        if role == Role.ADMIN and unit is not None and unit.parent_id is not None:
            self.add_error("org_unit", _("系统管理员角色只能授予在顶级单位上。"))
        return data


def _staff_manager(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user.is_staff and can_manage_users(user))


class MembershipInline(_Inline):
    model = Membership
    form = MembershipAdminForm
    fields = ["org_unit", "role", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a membership is revoked and granted anew, never edited

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff_manager(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff_manager(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff_manager(request)


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PlanwatchUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    search_fields = ["username", "first_name", "email"]
    _limited_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "email")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not request.user.is_superuser:
            return self._limited_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        if request.user.is_superuser:
            return super().get_queryset(request)
        return user_list_for(viewer=request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _staff_manager(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff_manager(request) and (obj is None or can_manage_user(request.user, obj))

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: Any, change: bool
    ) -> None:
        if not isinstance(formset, BaseInlineFormSet) or formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # What formset.save() would have recorded, for the admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for removed in formset.deleted_forms:
            if removed.instance.pk:
                services.membership_revoke(actor=request.user, membership=removed.instance)
                formset.deleted_objects.append(removed.instance)
        for added in formset.extra_forms:
            if added.has_changed() and added not in formset.deleted_forms:
                granted = services.membership_grant(
                    actor=request.user,
                    user=form.instance,
                    org_unit=added.cleaned_data["org_unit"],
                    role=added.cleaned_data["role"],
                )
                formset.new_objects.append(granted)

    def _audit(self, request: HttpRequest, obj: Any, action: str, message: Any) -> None:
        audit_record(
            actor=request.user,
            action=action,
            target_type="user",
            target_id=obj.pk,
            target_label=obj.get_username(),
            new={
                "username": obj.username,
                "name": obj.first_name,
                "email": obj.email,
                "is_active": obj.is_active,
                "is_staff": obj.is_staff,
                "is_superuser": obj.is_superuser,
                "admin_message": message,
            },
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "user.create", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit(request, obj, "user.admin_change", message)
        return super().log_change(request, obj, message)


@admin.register(Membership)
class MembershipAdmin(_MembershipAdmin):
    """Grants and revocations through the services; a membership is never edited."""

    list_display = ["user", "org_unit", "role", "created_at"]
    list_filter = ["role", "org_unit__kind"]
    search_fields = ["user__username", "user__first_name", "org_unit__name", "org_unit__code"]
    list_select_related = ["user", "org_unit"]
    fields = ["user", "org_unit", "role"]
    form = MembershipAdminForm

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        created = services.membership_grant(
            actor=request.user, user=obj.user, org_unit=obj.org_unit, role=obj.role
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_revoke(actor=request.user, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "org_unit"):
            services.membership_revoke(actor=request.user, membership=membership)
