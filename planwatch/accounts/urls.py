from django.urls import path

from planwatch.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:user_id>/", views.user_detail_view, name="user_detail"),
    path("users/<int:user_id>/grant/", views.membership_grant_view, name="membership_grant"),
    path("users/<int:user_id>/password/", views.user_password_reset_view, name="password_reset"),
    path("users/<int:user_id>/active/", views.user_set_active_view, name="user_set_active"),
    path(
        "memberships/<int:membership_id>/revoke/",
        views.membership_revoke_view,
        name="membership_revoke",
    ),
]
