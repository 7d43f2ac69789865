"""The daily mix of planwatch's people, for locust (issue 15 item 3); run by
scripts/bench_load.py, which prepares the database and the fixture this file reads.

Five kinds of user, each a keep-alive HTTP client (locust's FastHttpUser):

- planner (川南规划处室): workbench, dashboards, task lists and tasks, 督办 cases, indicators,
  the review queue and a report in it;
- reporter (a city's 填报人): workbench, own tasks, the task, the report form — and saves the
  draft (a real POST with the form's CSRF token and the report's version; 302 expected);
- leader (省领导): workbench, the dashboards (province, zone, city, plan), 一体化发展指数 and
  绩效考核 results;
- portal reader (anonymous): the /gongkai/ pages and open data;
- API client (a script with a token): /api/v1 reads.

Signed-in users follow the links the pages give them (task, case, indicator and report ids
are gathered from the list pages as they are read), so the scenario holds whatever the pages
show. Request names are URL patterns (ids replaced by {id}) so that the figures are per page.

Fixture: the JSON file named by PLANWATCH_LOAD_FIXTURE (password, reporter accounts with their
draft report, planner and leader accounts, an API token, the portal's pages). Think time
between a user's requests: PLANWATCH_LOAD_THINK ("1-3" seconds; "0" for none).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from benchkit import LINK_PATTERNS
from locust import FastHttpUser, between, constant, events, task

FIXTURE: dict[str, Any] = json.loads(Path(os.environ["PLANWATCH_LOAD_FIXTURE"]).read_text())
PASSWORD = FIXTURE["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
HEADERS = {"Accept-Language": "zh-CN"}
# Links gathered from the pages read, shared by the users of one kind (a leader's links may
# be out of a planner's reach): "Planner:task" → set of paths.
LINKS: dict[str, set[str]] = {}
_reporters = itertools.count()
# Every request of the run (name, milliseconds, error or "", seconds from the run's start to
# the request's start), written at the end to the file named by PLANWATCH_LOAD_OUT so that
# the percentiles are exact, not locust's rounded ones.
RECORDED: list[tuple[str, float, str, float]] = []
_BEGAN = time.monotonic()


@events.test_start.add_listener
def _began(**_: Any) -> None:
    global _BEGAN
    _BEGAN = time.monotonic()


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_: Any) -> None:
    started = time.monotonic() - response_time / 1000 - _BEGAN
    RECORDED.append((name, response_time, str(exception)[:200] if exception else "", started))


@events.quitting.add_listener
def _dump(**_: Any) -> None:
    out = os.environ.get("PLANWATCH_LOAD_OUT")
    if out:
        with open(out, "w") as handle:
            json.dump(RECORDED, handle)


def think() -> Any:
    spec = os.environ.get("PLANWATCH_LOAD_THINK", "1-3")
    low, _, high = spec.partition("-")
    return constant(float(low)) if not high else between(float(low), float(high))


def name_of(path: str) -> str:
    """The page's pattern: numbers and codes in the path become {id}."""
    path = path.split("?")[0]
    path = re.sub(r"/\d+(?=/|$|\.)", "/{id}", path)
    return re.sub(r"/dashboards/(zone|unit|plan)/[^/]+/", r"/dashboards/\1/{id}/", path)


class SignedIn(FastHttpUser):
    abstract = True
    wait_time = think()
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", headers=HEADERS, name="sign-in (form)")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={**HEADERS, "Referer": self.host + "/accounts/login/"},
            name="sign-in (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {self.username}: {response.status_code}")

    def page(self, path: str, *, gather: tuple[str, ...] = ()) -> str:
        response = self.client.get(path, headers=HEADERS, name=name_of(path))
        text = response.text or ""
        for kind in gather:
            found = LINK_PATTERNS[kind].findall(text)
            if found:
                LINKS.setdefault(f"{type(self).__name__}:{kind}", set()).update(found[:50])
        return text

    def one(self, kind: str, fallback: str) -> None:
        """Open one page of `kind` gathered so far (or the list page that gives them)."""
        links = LINKS.get(f"{type(self).__name__}:{kind}")
        self.page(random.choice(sorted(links)) if links else fallback, gather=(kind,))


class Planner(SignedIn):
    weight = 8
    username = FIXTURE["planner"]

    @task(2)
    def workbench(self) -> None:
        self.page("/workbench/", gather=("task", "report"))

    @task(2)
    def dashboards(self) -> None:
        self.page("/dashboards/", gather=("dashboard",))
        self.one("dashboard", "/dashboards/")

    @task(3)
    def task_list(self) -> None:
        self.page("/tasks/", gather=("task",))
        self.one("task", "/tasks/")

    @task(1)
    def supervision(self) -> None:
        self.page("/cases/", gather=("case",))
        self.one("case", "/cases/")

    @task(1)
    def indicators(self) -> None:
        self.page("/indicators/", gather=("indicator",))
        self.one("indicator", "/indicators/")

    @task(2)
    def review(self) -> None:
        self.page("/reports/queue/", gather=("report",))
        self.one("report", "/reports/queue/")


class Reporter(SignedIn):
    weight = 8

    def on_start(self) -> None:
        mine = FIXTURE["reporters"][next(_reporters) % len(FIXTURE["reporters"])]
        self.username = mine["username"]
        self.report = f"/reports/{mine['report']}/"
        self.task_page = f"/tasks/{mine['task']}/"
        super().on_start()

    @task(2)
    def workbench(self) -> None:
        self.page("/workbench/")

    @task(2)
    def own_tasks(self) -> None:
        self.page("/tasks/")
        self.page(self.task_page)

    @task(3)
    def save_draft(self) -> None:
        form = self.page(self.report)
        token, version = CSRF.search(form), VERSION.search(form)
        if token is None or version is None:
            return  # the GET above counted as what it was; nothing to post without a form
        with self.client.post(
            self.report,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "version": version.group(1),
                "completion": str(random.randint(10, 90)),
                "progress_status": "in_progress",
                "narrative": "已完成可研批复，正在开展初步设计。（负载测试）",
                "action": "save",
            },
            headers={**HEADERS, "Referer": self.host + self.report},
            name="/reports/{id}/ (save draft)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"save: {response.status_code}")


class Leader(SignedIn):
    weight = 4
    username = FIXTURE["leader"]

    @task(1)
    def workbench(self) -> None:
        self.page("/workbench/")

    @task(4)
    def dashboards(self) -> None:
        self.page("/dashboards/province/", gather=("dashboard",))
        self.one("dashboard", "/dashboards/")

    @task(1)
    def integration_index(self) -> None:
        self.page("/integration-index/", gather=("edition",))
        self.one("edition", "/integration-index/")

    @task(1)
    def assessment(self) -> None:
        self.page("/assessment/results/", gather=("result",))
        self.one("result", "/assessment/results/")


class PortalReader(FastHttpUser):
    weight = 8
    wait_time = think()

    @task
    def read(self) -> None:
        path = random.choice(FIXTURE["portal"])
        self.client.get(path, headers=HEADERS, name=name_of(path))


class ApiClient(FastHttpUser):
    weight = 4
    wait_time = think()

    @task
    def read(self) -> None:
        path = random.choice(FIXTURE["api"])
        self.client.get(
            path,
            headers={"Authorization": f"Bearer {FIXTURE['token']}"},
            name="api " + name_of(path),
        )
