"""Account pages: login, logout, password change and 用户管理 (user management).

Each view authorises (an access helper or a page predicate), parses a form, calls one service
and responds. Pages a user may not open at all answer 403; an account or membership outside the
viewer's reach answers 404, the same as a missing one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.accounts import services
from planwatch.accounts.forms import (
    LoginForm,
    MembershipGrantForm,
    PasswordChangeForm,
    PasswordSetForm,
    UserCreateForm,
    UserFilterForm,
)
from planwatch.accounts.permissions import can_manage_users
from planwatch.accounts.selectors import access_membership, access_user, user_list_for

login_view = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout_view = auth_views.LogoutView.as_view()  # POST only


def form_error(form: Form, exc: ValidationError, field: str | None = None) -> None:
    """Show a service's ValidationError on the form: on its own fields when it names them,
    otherwise on `field` (or the whole form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else field, errors)
    else:
        form.add_error(field, exc.error_list)


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_users(request.user):
        raise PermissionDenied


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                user=request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            form_error(form, exc, "new_password2")
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("密码已修改。"))
            return redirect("accounts:password_change")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserFilterForm(request.GET or None, manager=request.user)
    filters = form.filters()
    users = user_list_for(viewer=request.user, **filters)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = urlencode({k: getattr(v, "pk", v) for k, v in filters.items()})
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "query": query})


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["new_password1"],
                name=data["name"],
                email=data["email"],
                org_unit=data.get("org_unit") or None,
                role=data.get("role") or None,
            )
        except ValidationError as exc:
            form_error(form, exc, "new_password2")
        else:
            messages.success(request, _("已创建用户 %(name)s。") % {"name": user.username})
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def _detail(request: HttpRequest, user: Any, status: int = 200, **forms: Form) -> HttpResponse:
    context = {
        "account": user,
        "grant_form": forms.get("grant_form") or MembershipGrantForm(manager=request.user),
        "password_form": forms.get("password_form") or PasswordSetForm(),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@login_required
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _detail(request, access_user(request.user, user_id))


@login_required
@require_POST
def membership_grant_view(request: HttpRequest, user_id: int) -> HttpResponse:
    user = access_user(request.user, user_id)
    form = MembershipGrantForm(request.POST, manager=request.user)
    if form.is_valid():
        try:
            services.membership_grant(
                actor=request.user,
                user=user,
                org_unit=form.cleaned_data["org_unit"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已授予角色。"))
            return redirect("accounts:user_detail", user_id=user.pk)
    return _detail(request, user, status=400, grant_form=form)


@login_required
@require_POST
def membership_revoke_view(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = access_membership(request.user, membership_id)
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤销角色。"))
    return redirect("accounts:user_detail", user_id=membership.user_id)


@login_required
@require_POST
def user_password_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    user = access_user(request.user, user_id)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            services.password_change(
                actor=request.user, user=user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form_error(form, exc, "new_password2")
        else:
            messages.success(request, _("密码已重置。"))
            return redirect("accounts:user_detail", user_id=user.pk)
    return _detail(request, user, status=400, password_form=form)


@login_required
@require_POST
def user_set_active_view(request: HttpRequest, user_id: int) -> HttpResponse:
    user = access_user(request.user, user_id)
    active = request.POST.get("is_active") == "1"
    try:
        services.user_set_active(actor=request.user, user=user, is_active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
    return redirect("accounts:user_detail", user_id=user.pk)
