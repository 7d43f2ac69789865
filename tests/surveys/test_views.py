"""The survey pages: the planners' pages (allowed and denied), the public answer form (one
response per browser by the signed cookie, honeypot, lengths, the rate limit; a refused
response stores nothing), the 说明, the thank-you page, the results (only once published)
and the xlsx export."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from planwatch.orgunits.models import OrgUnit
from planwatch.plans.models import Plan
from planwatch.surveys import services
from planwatch.surveys.models import Response, Survey
from planwatch.surveys.receipts import cookie_name

pytestmark = pytest.mark.django_db


def answer(client: Client, survey: Survey, **data: str) -> object:
    data.setdefault("rating", "2")
    return client.post(f"/gongkai/wenjuan/{survey.pk}/", data)


def test_planner_creates_adds_questions_and_opens(
    chuannan_planner: Client, plan: Plan, persona_units: dict[str, OrgUnit]
) -> None:
    assert chuannan_planner.get("/surveys/").status_code == 200
    page = chuannan_planner.get("/surveys/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "川南经济区" in html and "攀西经济区" not in html  # only what the planner may run
    r = chuannan_planner.post(
        "/surveys/new/", {"title": "川南满意度", "scope": f"plan:{plan.pk}", "year": "2024"}
    )
    survey = Survey.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/surveys/{survey.pk}/"
    chuannan_planner.post(
        f"/surveys/{survey.pk}/questions/",
        {"text": "最关心哪方面？", "kind": "choice", "choices": "交通\n生态\n教育"},
    )
    assert survey.questions.get().choices == ["交通", "生态", "教育"]
    chuannan_planner.post(f"/surveys/{survey.pk}/open/")
    survey.refresh_from_db()
    assert survey.status == "open"
    detail = chuannan_planner.get(f"/surveys/{survey.pk}/").content.decode()
    assert f"/gongkai/wenjuan/{survey.pk}/" in detail and "结束征集" in detail


def test_others_are_denied(
    survey: Survey, panxi_planner: Client, yibin_reporter: Client, anon: Client
) -> None:
    for url in (f"/surveys/{survey.pk}/", f"/surveys/{survey.pk}/results.xlsx"):
        assert panxi_planner.get(url).status_code == 404
        assert yibin_reporter.get(url).status_code == 404
        assert anon.get(url).status_code == 302  # to the sign-in page
    assert panxi_planner.post(f"/surveys/{survey.pk}/open/").status_code == 404
    assert yibin_reporter.get("/surveys/").status_code == 403
    survey.refresh_from_db()
    assert survey.status == "draft"
    # a draft is not public
    assert anon.get(f"/gongkai/wenjuan/{survey.pk}/").status_code == 404
    assert survey.title not in anon.get("/gongkai/wenjuan/").content.decode()


def test_the_public_form_is_accessible_and_explains_the_scheme(
    open_survey: Survey, anon: Client
) -> None:
    index = anon.get("/gongkai/wenjuan/").content.decode()
    assert open_survey.title in index
    page = anon.get(f"/gongkai/wenjuan/{open_survey.pk}/").content.decode()
    assert "<fieldset" in page and "<legend" in page
    for level in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f"> {level}</label>" in page or f">{level}</label>" in page or level in page
    assert 'name="website"' in page and 'class="survey-hp" aria-hidden="true"' in page
    assert "说明" in page and "清除 Cookie" in page and "每天最多提交 3 份" in page
    assert "http://" not in page.replace("http://testserver", "")  # no external assets


def test_one_response_per_browser(open_survey: Survey, anon: Client) -> None:
    r = answer(anon, open_survey, prefecture="511500", comment="建议多开公交")
    assert r.status_code == 302 and r["Location"] == f"/gongkai/wenjuan/{open_survey.pk}/xiexie/"
    cookie = r.cookies[cookie_name(open_survey.pk)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "感谢参与" in anon.get(r["Location"]).content.decode()
    stored = Response.objects.get()
    assert (stored.rating, stored.comment, stored.prefecture.code) == (2, "建议多开公交", "511500")
    page = anon.get(f"/gongkai/wenjuan/{open_survey.pk}/").content.decode()
    assert "您已经填写过这份问卷" in page and "提交问卷" not in page
    again = answer(anon, open_survey, rating="5")
    assert again.status_code == 409 and "每人只能填写一次" in again.content.decode()
    assert Response.objects.count() == 1
    # a cookie not signed by the server counts for nothing
    other = Client()
    other.cookies[cookie_name(open_survey.pk)] = "forged"
    assert answer(other, open_survey).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"website": "http://spam.example"}, "提交未通过校验"),
        ({"comment": "长" * 501}, "501"),
        ({"rating": ""}, "请选择总体评价"),
        ({"prefecture": "999999"}, "999999"),
    ],
)
def test_bad_input_stores_nothing(
    open_survey: Survey, anon: Client, data: dict[str, str], message: str
) -> None:
    r = answer(anon, open_survey, **data)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Response.objects.exists()
    assert cookie_name(open_survey.pk) not in r.cookies


def test_rate_limit_per_address(open_survey: Survey) -> None:
    for _i in range(3):
        assert answer(Client(), open_survey).status_code == 302
    r = answer(Client(), open_survey)
    assert r.status_code == 429 and "提交过多" in r.content.decode()
    assert Response.objects.count() == 3


def test_results_public_only_when_published_and_exported(
    open_survey: Survey, chuannan_planner: Client, anon: Client
) -> None:
    for i in range(7):
        answer(Client(REMOTE_ADDR=f"198.51.100.{i}"), open_survey, rating=str(1 + i % 5))
    url = f"/gongkai/wenjuan/{open_survey.pk}/jieguo/"
    assert anon.get(url).status_code == 404
    chuannan_planner.post(f"/surveys/{open_survey.pk}/publish/")
    page = anon.get(url).content.decode()
    # ratings 1,2,3,4,5,1,2: 5 of 7 satisfied
    assert "71.4%" in page and "未填写地市州" in page and '<td colspan="2">样本不足' not in page
    xlsx = chuannan_planner.get(f"/surveys/{open_survey.pk}/results.xlsx")
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert 71.4 in values and "全部答卷" in values
    chuannan_planner.post(f"/surveys/{open_survey.pk}/withdraw/", {"reason": "核实"})
    assert anon.get(url).status_code == 404


def test_closed_survey_takes_no_response(
    open_survey: Survey, chuannan_planner_user: User, anon: Client
) -> None:
    services.survey_close(actor=chuannan_planner_user, survey=open_survey)
    # closed and results unpublished: no longer public at all
    assert anon.get(f"/gongkai/wenjuan/{open_survey.pk}/").status_code == 404
    assert answer(anon, open_survey).status_code == 404
    assert not Response.objects.exists()


def test_the_public_form_in_english(open_survey: Survey, anon: Client) -> None:
    anon.cookies["django_language"] = "en"
    page = anon.get(f"/gongkai/wenjuan/{open_survey.pk}/").content.decode()
    assert "Very satisfied" in page and "Fairly satisfied" in page and "Submit" in page
    assert "cannot guarantee strictly one response per person" in page


def test_a_survey_on_a_withdrawn_plan_is_not_public(
    open_survey: Survey, plan: Plan, anon: Client
) -> None:
    assert anon.get(f"/gongkai/wenjuan/{open_survey.pk}/").status_code == 200
    Plan.objects.filter(pk=plan.pk).update(status="unpublished")
    assert anon.get(f"/gongkai/wenjuan/{open_survey.pk}/").status_code == 404
    assert open_survey.title not in anon.get("/gongkai/wenjuan/").content.decode()
    assert answer(anon, open_survey).status_code == 404


def test_planners_find_the_surveys_in_the_menu(
    chuannan_planner: Client, yibin_reporter: Client
) -> None:
    assert 'href="/surveys/"' in chuannan_planner.get("/surveys/").content.decode()
    assert 'href="/surveys/"' not in yibin_reporter.get("/tasks/").content.decode()
