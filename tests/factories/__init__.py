"""The one place the tests build data and people:

- `personas`: `make_user` and `logged_in`, the one way to make an account or a client, and
  the one set of named personas (fixtures, a plugin of tests/conftest.py);
- `plans`: the reference units, the bundled plans and the hand-written sample plans
  (fixtures, a plugin of tests/conftest.py), and `build_plan`, the one builder of plans
  stored directly (the 川南 slice plan, the dashboards' plans and the search corpus are
  built with it);
- `search`: a small corpus of plans for the search tests;
- `implementation` and `implementation_fixtures`: the hand-made slice of the unit tree, the
  川南 plan, issued lists and filed reports, and their fixtures (the people on the slice
  are the personas of `personas`).
"""
