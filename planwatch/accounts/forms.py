"""Forms of the account pages. They parse and check input; the services make the change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from planwatch.accounts.choices import Role
from planwatch.accounts.permissions import grantable_roles, is_admin, manageable_units
from planwatch.orgunits.forms import UnitChoiceField
from planwatch.orgunits.models import OrgUnit


class LoginForm(AuthenticationForm):
    """The login form; throttling is django-axes' (it sees every `authenticate` call)."""

    error_messages = {
        "invalid_login": _("登录名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("登录名")
        self.fields["password"].label = _("密码")


class OrgUnitChoiceField(UnitChoiceField):
    """A unit among those the manager may grant roles on: the searchable unit picker."""


class _ScopedRoleFields(forms.Form):
    """Adds a unit and a role limited to what `manager` may grant."""

    def __init__(self, *args: Any, manager: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units: QuerySet[OrgUnit] = manageable_units(manager).filter(is_active=True)
        self.fields["org_unit"] = OrgUnitChoiceField(
            queryset=units.order_by("path"),
            label=_("组织单位"),
            required=required,
            empty_label=_("请选择组织单位"),
        )
        roles: list[tuple[str, Any]] = [(r.value, r.label) for r in grantable_roles(manager)]
        self.fields["role"] = forms.ChoiceField(
            choices=[("", _("请选择角色")), *roles], label=_("角色"), required=required
        )


class MembershipGrantForm(_ScopedRoleFields):
    """授予角色: a unit and a role."""


class _NewPasswordFields(forms.Form):
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return data


class PasswordSetForm(_NewPasswordFields):
    """重置密码 (by a manager)."""


class PasswordChangeForm(_NewPasswordFields):
    """修改密码 (by the user): the current password and the new one twice."""

    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class UserCreateForm(_ScopedRoleFields, _NewPasswordFields):
    """新建用户: the account, its first password and its first role."""

    username = forms.CharField(label=_("登录名"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    field_order = ["username", "name", "email", "new_password1", "new_password2"]

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        # Only administrators may create an account without a role.
        super().__init__(*args, manager=manager, required=not is_admin(manager), **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("org_unit")) != bool(data.get("role")):
            raise forms.ValidationError(_("组织单位和角色须同时填写。"))
        return data


class UserFilterForm(forms.Form):
    """Filters of the 用户管理 list; units limited to those the viewer manages."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("登录名、姓名或邮箱")}),
    )

    def __init__(self, *args: Any, manager: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = OrgUnitChoiceField(
            queryset=manageable_units(manager).order_by("path"),
            label=_("组织单位"),
            required=False,
            empty_label=_("全部单位"),
        )
        self.fields["role"] = forms.ChoiceField(
            choices=[("", _("全部角色")), *[(r.value, r.label) for r in Role]],
            label=_("角色"),
            required=False,
        )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
