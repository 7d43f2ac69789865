"""The password hasher: argon2id with OWASP's first recommended configuration.

Django's own argon2 parameters (102,400 KiB of memory, 2 passes, 8 lanes) cost 117 ms of
CPU per sign-in on the two-CPU reference machine, spread over both CPUs by the 8 lanes, and
100 MB of memory per concurrent attempt: a burst of sign-ins (the morning, or anyone posting
the form in a loop) stalls every other request of the server and can exhaust its memory.
OWASP's Password Storage Cheat Sheet recommends, among equivalent argon2id settings, 19 MiB
of memory, 2 passes and 1 lane — 20 ms per sign-in on one CPU here. Decision 0002 records
the choice and the figures.

The algorithm's name stays "argon2": hashes made with Django's parameters still verify, and
`must_update` (which compares a hash's parameters with these) re-hashes them at the user's
next successful sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19_456  # KiB (19 MiB)
    parallelism = 1
