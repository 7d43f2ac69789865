"""`planwatch user …`: accounts and roles from the command line, through the same services as
the pages (recorded in the audit log as done by the system).

    planwatch user list [--unit CODE]
    planwatch user create NAME [--unit CODE --role ROLE] [--name 姓名] [--email ADDR]
    planwatch user set-password NAME          (a new password is generated and shown once)
    planwatch user grant NAME CODE ROLE
    planwatch user revoke NAME CODE ROLE
    planwatch user activate NAME | deactivate NAME
"""

from __future__ import annotations

import secrets
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from planwatch.accounts import services
from planwatch.accounts.choices import Role
from planwatch.accounts.models import Membership
from planwatch.orgunits.models import OrgUnit


def _user(username: str) -> User:
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise CommandError(f"no account named {username!r}")
    return user


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"no organisation unit with code {code!r} (e.g. 511500, zone:panxi)")
    return unit


class Command(BaseCommand):
    help = "账号与角色管理（list / create / set-password / grant / revoke / activate / deactivate）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="列出账号及其角色")
        listing.add_argument("--unit", help="只列出在该单位（及其下级）有角色的账号")
        create = sub.add_parser("create", help="新建账号（生成并显示一次初始密码）")
        create.add_argument("username")
        create.add_argument("--unit")
        create.add_argument("--role", choices=Role.values)
        create.add_argument("--name", default="")
        create.add_argument("--email", default="")
        sub.add_parser("set-password", help="生成新密码并显示一次").add_argument("username")
        for verb in ("grant", "revoke"):
            cmd = sub.add_parser(verb, help="授予角色" if verb == "grant" else "撤销角色")
            cmd.add_argument("username")
            cmd.add_argument("unit")
            cmd.add_argument("role", choices=Role.values)
        sub.add_parser("activate", help="启用账号").add_argument("username")
        sub.add_parser("deactivate", help="停用账号").add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, "_" + options["subcommand"].replace("-", "_"))
        try:
            handler(options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _list(self, options: dict[str, Any]) -> None:
        users = User.objects.order_by("username").prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("org_unit"))
        )
        if options["unit"]:
            path = _unit(options["unit"]).path
            users = users.filter(memberships__org_unit__path__startswith=path).distinct()
        for user in users:
            roles = ", ".join(f"{m.org_unit.code}:{m.role}" for m in user.memberships.all())
            state = "" if user.is_active else " (disabled)"
            self.stdout.write(f"{user.username}{state}\t{roles or '-'}")

    def _create(self, options: dict[str, Any]) -> None:
        if bool(options["unit"]) != bool(options["role"]):
            raise CommandError("--unit and --role go together")
        password = secrets.token_urlsafe(12)
        user = services.user_create(
            actor=None,
            username=options["username"],
            password=password,
            name=options["name"],
            email=options["email"],
            org_unit=_unit(options["unit"]) if options["unit"] else None,
            role=options["role"],
        )
        self.stdout.write(f"created {user.username}; password (shown once): {password}")

    def _set_password(self, options: dict[str, Any]) -> None:
        password = secrets.token_urlsafe(12)
        user = _user(options["username"])
        services.password_change(actor=None, user=user, new_password=password)
        self.stdout.write(f"new password for {user.username} (shown once): {password}")

    def _grant(self, options: dict[str, Any]) -> None:
        user, unit = _user(options["username"]), _unit(options["unit"])
        services.membership_grant(actor=None, user=user, org_unit=unit, role=options["role"])
        self.stdout.write(f"granted {options['role']} on {unit.code} to {user.username}")

    def _revoke(self, options: dict[str, Any]) -> None:
        user, unit = _user(options["username"]), _unit(options["unit"])
        membership = Membership.objects.filter(
            user=user, org_unit=unit, role=options["role"]
        ).first()
        if membership is None:
            raise CommandError(f"{user.username} holds no {options['role']} role on {unit.code}")
        services.membership_revoke(actor=None, membership=membership)
        self.stdout.write(f"revoked {options['role']} on {unit.code} from {user.username}")

    def _activate(self, options: dict[str, Any]) -> None:
        services.user_set_active(actor=None, user=_user(options["username"]), is_active=True)
        self.stdout.write(f"activated {options['username']}")

    def _deactivate(self, options: dict[str, Any]) -> None:
        services.user_set_active(actor=None, user=_user(options["username"]), is_active=False)
        self.stdout.write(f"deactivated {options['username']}")
