"""`planwatch api_token create USERNAME [--name NAME]` prints a new token once;
`planwatch api_token list USERNAME`; `planwatch api_token revoke ID`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from planwatch.api.models import ApiToken
from planwatch.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke API tokens for scripts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="script", help="what the token is for")
        listing = sub.add_parser("list", help="list a user's tokens (never the secrets)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = self._user(options["username"])
            token, secret = api_token_create(user=user, name=options["name"], actor=None)
            self.stderr.write(f"token {token.pk} for {user.get_username()} ({token.name}):")
            self.stdout.write(secret)
            self.stderr.write("It is shown only now: store it where the script can read it.")
        elif action == "list":
            user = self._user(options["username"])
            for t in ApiToken.objects.filter(user=user).order_by("created_at"):
                state = "revoked" if t.revoked_at else "active"
                used = t.last_used_at.isoformat() if t.last_used_at else "never used"
                self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t{state}\t{used}")
        else:
            found = ApiToken.objects.filter(pk=options["token_id"]).first()
            if found is None:
                raise CommandError(f"no token with id {options['token_id']}")
            done = api_token_revoke(token=found, actor=None)
            self.stdout.write("revoked" if done else "already revoked")

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return user
