"""Types every layer uses."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

# Who performs a service call: the user of the request (`request.user`), or None for the
# system itself (set-up, the command line, scheduled jobs). Services check what the actor may
# do through the predicates of planwatch.accounts.permissions (an anonymous user may do
# nothing) and write it into the audit event.
type Actor = User | AnonymousUser | None


def actor_user(actor: Actor) -> User | None:
    """The user to store as who did something: None for the system. (Never an anonymous
    user: every service refuses one before it writes.)"""
    return actor if isinstance(actor, User) else None
