"""Who may do what where: a user's roles are memberships on organisation units, and a role
held on a unit covers every unit below it in the tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planwatch.accounts.choices import Role


class Membership(models.Model):
    """A user holding one role on one organisation unit (e.g. a reporter of 宜宾市)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="membership_unique"),
        ]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self) -> str:
        return f"{self.user} · {self.org_unit} · {self.get_role_display()}"
