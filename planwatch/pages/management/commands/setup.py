"""`planwatch setup` — everything a fresh machine needs, safe to run again: migrate the
database, keep one secret key in var/secret_key (unless PLANWATCH_SECRET_KEY is set), load the
reference data, ingest the bundled plans when absent, create the `admin`
account (its generated password is printed once, when it is created) and collect the static
files. A rerun keeps all data."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from planwatch.accounts.choices import Role
from planwatch.accounts.services import user_create
from planwatch.audit.anchor import audit_checkpoint
from planwatch.audit.services import audit_record
from planwatch.orgunits.models import OrgUnit
from planwatch.orgunits.services import orgunits_load_reference
from planwatch.parsing import ParseError
from planwatch.parsing.gazetteer import SICHUAN
from planwatch.plans.services import plan_ingest

BUNDLED_DIR = Path(settings.PROJECT_DIR) / "data" / "plans"
ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Set up or update planwatch: database, reference data, bundled plans, admin account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-static", action="store_true", help="skip collectstatic")
        parser.add_argument("--no-plans", action="store_true", help="skip the bundled plans")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        key_file = Path(settings.VAR_DIR) / "secret_key"
        if os.environ.get("PLANWATCH_SECRET_KEY"):
            self.stdout.write("planwatch setup: secret key from PLANWATCH_SECRET_KEY")
        else:
            # settings made it when absent (owner-only); every process reads the same file.
            self.stdout.write(f"planwatch setup: secret key kept in {key_file} (mode 0600)")
        self.stdout.write("planwatch setup: database …")
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        loaded = orgunits_load_reference(actor=None)
        self.stdout.write(
            f"planwatch setup: reference data: {loaded.created} created, {loaded.updated} updated"
        )
        if not options["no_plans"]:
            self._ingest_bundled()
        self._ensure_admin()
        if not options["no_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.stdout.write("planwatch setup: static files collected")
        # A first checkpoint covers the events written before the audit key existed (an
        # upgrade); later ones come from the worker (docs/decisions/0031-audit-anchor.md).
        cp = audit_checkpoint()
        if cp is not None:
            self.stdout.write(f"planwatch setup: audit checkpoint at {cp.count} events")
        self.stdout.write(self.style.SUCCESS("planwatch setup: done"))

    def _ingest_bundled(self) -> None:
        for path in sorted(BUNDLED_DIR.glob("*.txt")):
            try:
                result = plan_ingest(
                    data=path.read_bytes(), name=path.name, actor=None, publish=True
                )
            except ParseError as exc:
                self.stderr.write(f"planwatch setup: error: {exc}")
                continue
            state = "ingested" if result.created else "already present"
            self.stdout.write(
                f"planwatch setup: {path.name}: {state} ({len(result.versions)} plans)"
            )

    def _ensure_admin(self) -> None:
        User = get_user_model()
        if User.objects.filter(username=ADMIN_USERNAME).exists():
            self.stdout.write(
                f"planwatch setup: account '{ADMIN_USERNAME}' exists (password unchanged)"
            )
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            province = OrgUnit.objects.get(code=SICHUAN)
            user = user_create(
                actor=None,
                username=ADMIN_USERNAME,
                password=password,
                name=str(_("系统管理员")),
                org_unit=province,
                role=Role.ADMIN,
            )
            # The Django admin (reference data, users) needs staff and superuser flags.
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            audit_record(
                actor=None,
                action="user.set_superuser",
                target_type="user",
                target_id=user.pk,
                target_label=ADMIN_USERNAME,
                old={"is_staff": False, "is_superuser": False},
                new={"is_staff": True, "is_superuser": True},
            )
        self.stdout.write(
            self.style.WARNING(
                f"\n  Administrator account created — shown only this once:\n"
                f"    login:    {ADMIN_USERNAME}\n    password: {password}\n"
            )
        )
