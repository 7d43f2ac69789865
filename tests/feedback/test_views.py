"""The pages of messages: the public form (CSRF, honeypot, clear refusals that store
nothing), the receipt page, the public list (accepted only, never a contact), the staff
pages per viewer (masked or whole contact, 404 for outsiders), the word list and the daily
command with the clock passed in."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from planwatch.audit.models import AuditEvent
from planwatch.feedback import services
from planwatch.feedback.models import Message, SensitiveWord
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.models import Task
from tests.feedback.conftest import leave

pytestmark = pytest.mark.django_db


def form_url(task: Task) -> str:
    return f"/gongkai/liuyan/new?kind=task&id={task.pk}"


FORM = {
    "kind": "complaint",
    "title": "城际铁路进度",
    "body": "宜宾至泸州城际铁路什么时候开工？",
    "contact": "13812345678",
    "website": "",
}


def test_the_form_is_public_for_public_subjects_only(anon: Client, yibin_task: Task) -> None:
    page = anon.get(form_url(yibin_task))
    assert page.status_code == 200
    html = page.content.decode()
    assert yibin_task.title in html and 'name="csrfmiddlewaretoken"' in html
    assert 'class="visually-hidden" aria-hidden="true"' in html and 'name="website"' in html
    assert "http://" not in html.replace("http://testserver", "")  # no external assets
    assert anon.get("/gongkai/liuyan/new?kind=task&id=999999").status_code == 404
    assert anon.get("/gongkai/liuyan/new?kind=bogus&id=1").status_code == 404
    assert anon.get("/gongkai/liuyan/new").status_code == 404


def test_submitting_gives_a_receipt_page(anon: Client, yibin_task: Task) -> None:
    response = anon.post(form_url(yibin_task), FORM)
    assert response.status_code == 302
    code = re.match(r"^/gongkai/liuyan/r/([^/]+)/$", response["Location"]).group(1)  # type: ignore[union-attr]
    page = anon.get(response["Location"]).content.decode()
    assert code in page and "待审核" in page and "13812345678" not in page
    assert anon.get(f"/gongkai/liuyan/r/{code}x/").status_code == 404


def test_refusals_are_clear_and_store_nothing(anon: Client, yibin_task: Task) -> None:
    page = anon.post(form_url(yibin_task), FORM | {"website": "http://spam"})
    assert page.status_code == 400 and "提交未被接受" in page.content.decode()
    page = anon.post(form_url(yibin_task), FORM | {"contact": "12345"})
    assert page.status_code == 400 and "手机号" in page.content.decode()
    assert 'value="城际铁路进度"' in page.content.decode()  # what was typed is kept
    page = anon.post(form_url(yibin_task), FORM | {"title": "长" * 61})
    assert page.status_code == 400
    assert not Message.objects.exists()
    anon.post(form_url(yibin_task), FORM)
    page = anon.post(form_url(yibin_task), FORM | {"body": "宜宾至泸州城际铁路 什么时候开工"})
    assert page.status_code == 400 and "相同内容" in page.content.decode()
    assert Message.objects.count() == 1


def test_rate_limit_page(anon: Client, yibin_task: Task, settings: object) -> None:
    settings.PLANWATCH_FEEDBACK_PER_HOUR = 1  # type: ignore[attr-defined]
    anon.post(form_url(yibin_task), FORM)
    page = anon.post(form_url(yibin_task), FORM | {"title": "另一条"})
    assert page.status_code == 429 and "过于频繁" in page.content.decode()
    assert Message.objects.count() == 1


def test_csrf_is_required(yibin_task: Task) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(form_url(yibin_task), FORM).status_code == 403
    assert not Message.objects.exists()


def test_public_list_shows_accepted_messages_only_without_contacts(
    anon: Client, yibin_task: Task, chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    leave(yibin_task, title="待审核的留言")
    shown, _ = leave(yibin_task, title="已受理的留言")
    services.message_moderate(message=shown, actor=chuannan_planner_user, accept=True)
    services.message_answer(message=shown, actor=yibin_reporter_user, text="已列入年度计划。")
    html = anon.get(f"/gongkai/liuyan/?kind=task&id={yibin_task.pk}").content.decode()
    assert "已受理的留言" in html and "已列入年度计划。" in html
    assert "待审核的留言" not in html and "138" not in html
    assert anon.get("/gongkai/liuyan/?kind=task&id=999999").status_code == 404


def test_staff_see_the_contact_by_role(
    yibin_task: Task,
    chuannan_planner: Client,
    chuannan_planner_user: User,
    yibin_reporter: Client,
    yibin_reporter_user: User,
    yibin_reviewer: Client,
    luzhou_reporter: Client,
    anon: Client,
) -> None:
    m, _ = leave(yibin_task)
    url = f"/feedback/messages/{m.pk}/"
    assert "138****5678" in chuannan_planner.get(url).content.decode()
    assert yibin_reporter.get(url).status_code == 404  # not accepted: not the unit's yet
    assert chuannan_planner.post(f"{url}accept/").status_code == 302
    page = yibin_reporter.get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    yibin_reporter.post(f"{url}claim/")
    assert "13812345678" in yibin_reporter.get(url).content.decode()
    assert "13812345678" not in yibin_reviewer.get(url).content.decode()
    assert luzhou_reporter.get(url).status_code == 404
    assert luzhou_reporter.post(f"{url}answer/", {"text": "答复答复答复"}).status_code == 404
    assert anon.get(url).status_code == 302
    assert AuditEvent.objects.filter(action="feedback.contact_view").count() == 1


def test_moderation_and_answer_through_the_pages(
    yibin_task: Task, chuannan_planner: Client, yibin_reporter: Client, anon: Client
) -> None:
    m, _ = leave(yibin_task, body="有人刷单，请核查工地情况。")
    queue = chuannan_planner.get("/feedback/moderation/").content.decode()
    assert m.title in queue and "刷单" in queue
    url = f"/feedback/messages/{m.pk}/"
    chuannan_planner.post(f"{url}accept/")
    assert m.title in yibin_reporter.get("/feedback/handling/").content.decode()
    yibin_reporter.post(f"{url}answer/", {"text": "经核查，工地无此情况。"})
    m.refresh_from_db()
    assert m.status == "answered"
    html = anon.get(f"/gongkai/liuyan/?kind=task&id={yibin_task.pk}").content.decode()
    assert "经核查，工地无此情况。" in html


def test_rating_on_the_receipt_page(
    anon: Client, yibin_task: Task, chuannan_planner_user: User, yibin_reporter_user: User
) -> None:
    m, code = leave(yibin_task)
    services.message_moderate(message=m, actor=chuannan_planner_user, accept=True)
    assert "提交评价" not in anon.get(f"/gongkai/liuyan/r/{code}/").content.decode()
    services.message_answer(message=m, actor=yibin_reporter_user, text="已列入年度计划。")
    assert "提交评价" in anon.get(f"/gongkai/liuyan/r/{code}/").content.decode()
    anon.post(f"/gongkai/liuyan/r/{code}/rate", {"rating": "unsatisfied"})
    m.refresh_from_db()
    assert m.rating == "unsatisfied" and hasattr(m, "follow_up")


def test_the_word_list_page(sysadmin: Client, chuannan_planner: Client) -> None:
    assert chuannan_planner.get("/feedback/words/").status_code == 404
    assert "刷单" in sysadmin.get("/feedback/words/").content.decode()
    sysadmin.post("/feedback/words/", {"word": "新敏感词"})
    assert SensitiveWord.objects.filter(word="新敏感词").exists()
    assert chuannan_planner.post("/feedback/words/", {"word": "另一个"}).status_code == 404


def test_the_daily_command_takes_the_clock(yibin_task: Task, chuannan_planner_user: User) -> None:
    m, _ = leave(yibin_task)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    services.message_moderate(
        message=m,
        actor=chuannan_planner_user,
        accept=True,
        now=dt.datetime(2024, 9, 27, 10, tzinfo=shanghai),
    )
    out = StringIO()
    call_command("feedback_overdue", "--date", "2024-10-24", stdout=out)
    assert "1 case(s) opened" in out.getvalue()
    call_command("feedback_overdue", "--date", "2024-10-25", stdout=StringIO())
    assert SupervisionCase.objects.count() == 1


def test_the_form_in_english(anon: Client, yibin_task: Task) -> None:
    from django.conf import settings

    anon.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = anon.get(form_url(yibin_task)).content.decode()
    assert "Leave a message" in html and "Contact (optional)" in html and "15 working days" in html


def test_the_queued_job_runs_once_a_day(yibin_task: Task, chuannan_planner_user: User) -> None:
    from planwatch.feedback.scheduled import feedback_overdue_locked

    m, _ = leave(yibin_task)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    accepted_at = dt.datetime(2024, 9, 27, 10, tzinfo=shanghai)
    services.message_moderate(message=m, actor=chuannan_planner_user, accept=True, now=accepted_at)
    now = dt.datetime(2024, 10, 24, 7, tzinfo=shanghai)
    day = dt.date(2024, 10, 24)
    assert feedback_overdue_locked(today=day, now=now, only_if_not_run=True) is not None
    assert feedback_overdue_locked(today=day, now=now, only_if_not_run=True) is None  # ran
    out = StringIO()
    call_command("feedback_overdue", "--enqueue", stdout=out)  # immediate in the tests
    assert "enqueued" in out.getvalue()
    assert SupervisionCase.objects.count() == 1


def test_a_unit_reviewer_assigns_the_handler(
    yibin_task: Task,
    chuannan_planner_user: User,
    yibin_reviewer: Client,
    yibin_reporter: Client,
    yibin_reporter_user: User,
) -> None:
    m, _ = leave(yibin_task)
    services.message_moderate(message=m, actor=chuannan_planner_user, accept=True)
    url = f"/feedback/messages/{m.pk}/"
    assert 'name="handler"' not in yibin_reporter.get(url).content.decode()
    assert 'name="handler"' in yibin_reviewer.get(url).content.decode()
    yibin_reviewer.post(f"{url}assign/", {"handler": "999999"})
    m.refresh_from_db()
    assert m.handler is None
    yibin_reviewer.post(f"{url}assign/", {"handler": str(yibin_reporter_user.pk)})
    m.refresh_from_db()
    assert m.handler == yibin_reporter_user
    assert "13812345678" in yibin_reporter.get(url).content.decode()
    assert yibin_reporter.post(f"{url}assign/", {"handler": "1"}).status_code == 302
    m.refresh_from_db()
    assert m.handler == yibin_reporter_user  # a reporter assigns nobody


def test_the_overdue_case_is_on_the_case_pages(
    yibin_task: Task,
    chuannan_planner: Client,
    chuannan_planner_user: User,
    yibin_reporter: Client,
) -> None:
    m, _ = leave(yibin_task)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    accepted_at = dt.datetime(2024, 9, 27, 10, tzinfo=shanghai)
    services.message_moderate(message=m, actor=chuannan_planner_user, accept=True, now=accepted_at)
    call_command("feedback_overdue", "--date", "2024-10-24", stdout=StringIO())
    case = SupervisionCase.objects.get()
    for client in (chuannan_planner, yibin_reporter):
        listing = client.get("/cases/?status=").content.decode()
        assert "留言逾期未答复：城际铁路进度" in listing
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert f"/feedback/messages/{m.pk}/" in page


def test_public_list_query_budget(
    anon: Client,
    yibin_task: Task,
    chuannan_planner_user: User,
    django_assert_max_num_queries: object,
) -> None:
    for n in range(4):
        m, _ = leave(yibin_task, title=f"留言{n}", client=f"198.51.100.{n}")
        services.message_moderate(message=m, actor=chuannan_planner_user, accept=True)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = anon.get(f"/gongkai/liuyan/?kind=task&id={yibin_task.pk}")
    assert page.content.decode().count("feedback-message") == 4


def test_looking_up_a_code(anon: Client, yibin_task: Task) -> None:
    _m, code = leave(yibin_task)
    assert anon.get("/gongkai/liuyan/chaxun").status_code == 200
    response = anon.get(f"/gongkai/liuyan/chaxun?code={code}")
    assert response["Location"] == f"/gongkai/liuyan/r/{code}/"
    page = anon.get("/gongkai/liuyan/chaxun?code=../../admin").content.decode()
    assert "查询码格式不正确" in page


def test_the_staff_pages_in_english(yibin_reporter: Client) -> None:
    from django.conf import settings

    yibin_reporter.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = yibin_reporter.get("/feedback/handling/").content.decode()
    assert ">Messages</a>" in html and "Messages to answer" in html
