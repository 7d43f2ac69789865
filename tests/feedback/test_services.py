"""The rules of messages, service by service: what may be left on what, abuse controls that
store nothing, moderation before anything is shown, routing per subject kind, the deadline
in working days, the contact shown per viewer, the overdue job, ratings, 回访 and appeals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet

from planwatch.audit.models import AuditEvent
from planwatch.core.models import RateCount
from planwatch.core.workdays import add_workdays
from planwatch.core.workflow import ConcurrentUpdate
from planwatch.feedback import selectors, services
from planwatch.feedback.choices import MessageStatus, Rating
from planwatch.feedback.jobs import feedback_overdue_run
from planwatch.feedback.models import FollowUp, Message, SensitiveWord
from planwatch.feedback.text import mask, normalise
from planwatch.plans.choices import PlanStatus
from planwatch.plans.models import Plan
from planwatch.publication.services import withdraw
from planwatch.supervision.models import SupervisionCase
from planwatch.tasks.models import AnnualList, Task
from tests.factories import implementation as f
from tests.feedback.conftest import leave

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


# --- what may be left on what -------------------------------------------------------------


def test_only_public_subjects_take_messages(issued: AnnualList, plan: Plan) -> None:
    task = issued.tasks.first()
    assert task is not None
    with pytest.raises(ValidationError) as exc:
        leave(task)  # issued, not published
    assert "尚未公开" in str(exc.value)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.DRAFT)
    with pytest.raises(ValidationError):
        leave(plan, kind="plan")
    with pytest.raises(ValidationError):
        leave(task, kind="nonsense")
    assert not Message.objects.exists()


def test_a_withdrawn_list_takes_no_more_messages(
    published: AnnualList, yibin_task: Task, chuannan_planner_user: User
) -> None:
    leave(yibin_task)
    withdraw(actor=chuannan_planner_user, subject=published, reason="数据待核实")
    with pytest.raises(ValidationError):
        leave(yibin_task, title="另一条留言")
    assert Message.objects.count() == 1


def test_routing_per_subject_kind(
    published: AnnualList, yibin_task: Task, plan: Plan, units: f.Units, chuannan_planner_user: User
) -> None:
    on_task, _ = leave(yibin_task)
    assert on_task.unit == units.yibin and on_task.zone == units.chuannan
    on_plan, _ = leave(plan, kind="plan", title="关于规划")
    assert on_plan.unit == units.ndrc and on_plan.plan == plan  # 省发展改革委 draws up the lists
    other = published.tasks.get(clause_key="c5.p1")
    assert leave(other, title="长江生态")[0].unit == other.lead_unit
    project = make_public_project(units, chuannan_planner_user, plan)
    on_project, _ = leave(project, kind="project", title="项目进展")
    assert on_project.unit == units.luzhou and on_project.zone == units.chuannan


def make_public_project(units: f.Units, planner: User, plan: Plan) -> object:
    from planwatch.projects.models import Project
    from planwatch.publication.services import publish

    project = Project.objects.create(
        name="川南城际铁路宜泸段",
        zone=units.chuannan,
        lead_unit=units.luzhou,
        plan=plan,
        status="confirmed",
    )
    publish(actor=planner, subject=project)
    return project


# --- abuse: every refusal stores nothing ---------------------------------------------------


def test_honeypot_length_and_contact_refusals_store_nothing(yibin_task: Task) -> None:
    with pytest.raises(ValidationError):
        leave(yibin_task, honeypot="http://spam.example")
    with pytest.raises(ValidationError) as exc:
        leave(yibin_task, title="长" * 61)
    assert "最多 60 个字" in str(exc.value)
    with pytest.raises(ValidationError):
        leave(yibin_task, body="短")
    with pytest.raises(ValidationError):
        leave(yibin_task, body="长" * 1001)
    with pytest.raises(ValidationError) as exc:
        leave(yibin_task, contact="12345")
    assert "手机号" in str(exc.value)
    with pytest.raises(ValidationError):
        leave(yibin_task, contact="not@mail")
    assert not Message.objects.exists()
    assert not RateCount.objects.exists()  # bad input does not use up the allowance


def test_duplicates_are_refused_by_normalised_text(yibin_task: Task, published: AnnualList) -> None:
    leave(yibin_task, title="城际铁路进度", body="宜宾至泸州城际铁路什么时候开工？")
    with pytest.raises(ValidationError) as exc:
        leave(
            yibin_task,
            title="城际铁路 进度",
            body="宜宾至泸州城际铁路什么时候开工 ?",
            client="198.51.100.1",
        )
    assert "相同内容" in str(exc.value)
    assert Message.objects.count() == 1
    other = published.tasks.get(clause_key="c5.p1")
    leave(other, title="城际铁路进度", body="宜宾至泸州城际铁路什么时候开工？")  # another subject
    assert Message.objects.count() == 2
    assert normalise("Ｈｅｌｌｏ，世界！") == normalise("hello 世界")


def test_duplicate_window_passes(yibin_task: Task) -> None:
    leave(yibin_task)
    Message.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    leave(yibin_task)
    assert Message.objects.count() == 2


def test_rate_limits_per_address(yibin_task: Task, settings: object) -> None:
    settings.PLANWATCH_FEEDBACK_PER_HOUR = 2  # type: ignore[attr-defined]
    for n in range(2):
        leave(yibin_task, title=f"留言{n}")
    with pytest.raises(services.RateLimited):
        leave(yibin_task, title="第三条")
    assert Message.objects.count() == 2
    leave(yibin_task, title="第三条", client="198.51.100.9")  # another address
    assert Message.objects.count() == 3
    assert not RateCount.objects.filter(bucket__contains="203.0.113.7").exists()  # hashed


def test_daily_limit(yibin_task: Task, settings: object) -> None:
    settings.PLANWATCH_FEEDBACK_PER_DAY = 1  # type: ignore[attr-defined]
    leave(yibin_task)
    with pytest.raises(services.RateLimited):
        leave(yibin_task, title="第二条")
    assert Message.objects.count() == 1


def test_receipt_code_is_random_and_only_its_hash_is_stored(yibin_task: Task) -> None:
    m1, code1 = leave(yibin_task)
    _m2, code2 = leave(yibin_task, title="另一条")
    assert code1 != code2 and len(code1) >= 24
    assert code1 not in m1.receipt_hash
    assert services.message_by_receipt(code1) == m1
    assert services.message_by_receipt(code1[:-1] + ("A" if code1[-1] != "A" else "B")) is None
    assert services.message_by_receipt("") is None


def test_sensitive_words_flag_and_do_not_drop(yibin_task: Task) -> None:
    assert SensitiveWord.objects.filter(word="刷单").exists()  # the seeded list
    m, _ = leave(yibin_task, body="有人在工地附近刷 单，请核查。")
    assert m.flagged_words == ["刷单"] and m.status == MessageStatus.PENDING


# --- moderation ------------------------------------------------------------------------------


def test_nothing_is_shown_before_acceptance(yibin_task: Task, chuannan_planner_user: User) -> None:
    m, _ = leave(yibin_task)
    assert not selectors.public_messages("task", yibin_task.pk).exists()
    services.message_moderate(message=m, actor=chuannan_planner_user, accept=True)
    assert list(selectors.public_messages("task", yibin_task.pk)) == [m]
    rejected, _ = leave(yibin_task, title="广告")
    services.message_moderate(
        message=rejected, actor=chuannan_planner_user, accept=False, reason="advertising"
    )
    assert list(selectors.public_messages("task", yibin_task.pk)) == [m]


def test_who_moderates(
    yibin_task: Task,
    panxi_planner_user: User,
    yibin_reviewer_user: User,
    sysadmin_user: User,
    chuannan_planner_user: User,
) -> None:
    m, _ = leave(yibin_task)
    for outsider in (panxi_planner_user, yibin_reviewer_user):
        with pytest.raises(PermissionDenied):
            services.message_moderate(message=m, actor=outsider, accept=True)
    assert m in selectors.moderation_queue(chuannan_planner_user)
    assert m not in selectors.moderation_queue(panxi_planner_user)
    assert m in selectors.moderation_queue(sysadmin_user)
    services.message_moderate(message=m, actor=sysadmin_user, accept=True)
    assert m.status == MessageStatus.ACCEPTED


def test_rejection_needs_a_listed_reason(yibin_task: Task, chuannan_planner_user: User) -> None:
    m, _ = leave(yibin_task)
    with pytest.raises(ValidationError):
        services.message_moderate(message=m, actor=chuannan_planner_user, accept=False)
    with pytest.raises(ValidationError):
        services.message_moderate(
            message=m, actor=chuannan_planner_user, accept=False, reason="other"
        )
    services.message_moderate(
        message=m, actor=chuannan_planner_user, accept=False, reason="other", note="重复反映"
    )
    m.refresh_from_db()
    assert m.status == MessageStatus.REJECTED and m.reject_note == "重复反映"
    assert AuditEvent.objects.filter(action="feedback.reject", target_id=str(m.pk)).exists()


# --- deadline in working days ------------------------------------------------------------------


def test_deadline_is_fifteen_working_days_over_national_day(
    yibin_task: Task, chuannan_planner_user: User
) -> None:
    m, _ = leave(yibin_task)
    services.message_moderate(
        message=m, actor=chuannan_planner_user, accept=True, now=at(dt.date(2024, 9, 27))
    )
    # 国庆 1–7 October off, Sunday 29 September and Saturday 12 October worked
    assert m.accepted_on == dt.date(2024, 9, 27)
    assert m.due_on == dt.date(2024, 10, 23) == add_workdays(dt.date(2024, 9, 27), 15).date
    assert m.due_official


def test_deadline_setting(yibin_task: Task, chuannan_planner_user: User, settings: object) -> None:
    settings.PLANWATCH_FEEDBACK_ANSWER_WORKDAYS = 5  # type: ignore[attr-defined]
    m, _ = leave(yibin_task)
    services.message_moderate(
        message=m, actor=chuannan_planner_user, accept=True, now=at(dt.date(2024, 9, 27))
    )
    assert m.due_on == dt.date(2024, 10, 10)  # 29 Sep, 30 Sep, 8, 9, 10 Oct


# --- the contact, per viewer --------------------------------------------------------------------


def accepted(task: Task, planner: User, **kw: object) -> Message:
    m, _ = leave(task, **kw)  # type: ignore[arg-type]
    return services.message_moderate(message=m, actor=planner, accept=True)


def test_contact_masked_except_for_the_handler_whose_views_are_audited(
    yibin_task: Task,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
    new_audit_events: Callable[[], QuerySet[AuditEvent]],
) -> None:
    m = accepted(yibin_task, chuannan_planner_user)
    assert services.contact_for(message=m, viewer=chuannan_planner_user) == "138****5678"
    assert services.contact_for(message=m, viewer=yibin_reporter_user) == "138****5678"
    services.message_claim(message=m, actor=yibin_reporter_user)
    assert services.contact_for(message=m, viewer=yibin_reporter_user) == "13812345678"
    assert services.contact_for(message=m, viewer=yibin_reporter_user) == "13812345678"
    assert services.contact_for(message=m, viewer=yibin_reviewer_user) == "138****5678"
    assert services.contact_for(message=m, viewer=chuannan_planner_user) == "138****5678"
    views = new_audit_events().filter(action="feedback.contact_view")
    assert views.count() == 2 and {e.actor_id for e in views} == {yibin_reporter_user.pk}


def test_masks() -> None:
    assert mask("13812345678", "phone") == "138****5678"
    assert mask("zhang.san@example.com", "email") == "z***@example.com"
    assert mask("0831-1234567", "phone") == "083****4567"
    assert mask("", "") == ""


def test_email_contact_is_accepted_and_normalised(yibin_task: Task) -> None:
    m, _ = leave(yibin_task, contact=" zhang@example.com ")
    assert (m.contact, m.contact_kind) == ("zhang@example.com", "email")
    m2, _ = leave(yibin_task, title="电话留言", contact="+86 139 1234 5678")
    assert (m2.contact, m2.contact_kind) == ("13912345678", "phone")


# --- answers, the overdue job ------------------------------------------------------------------


def test_only_the_units_staff_answer(
    yibin_task: Task,
    chuannan_planner_user: User,
    luzhou_reporter_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
) -> None:
    m = accepted(yibin_task, chuannan_planner_user)
    with pytest.raises(PermissionDenied):
        services.message_answer(message=m, actor=luzhou_reporter_user, text="我们来答复一下。")
    with pytest.raises(PermissionDenied):
        services.message_answer(message=m, actor=chuannan_planner_user, text="我们来答复一下。")
    services.message_claim(message=m, actor=yibin_reviewer_user)
    with pytest.raises(PermissionDenied):  # another's message: only a reviewer reassigns
        services.message_claim(message=m, actor=yibin_reporter_user)
    services.message_claim(message=m, actor=yibin_reviewer_user, handler=yibin_reporter_user)
    assert m.handler == yibin_reporter_user
    services.message_answer(message=m, actor=yibin_reporter_user, text="该项目已于今年开工。")
    assert m.status == MessageStatus.ANSWERED and m.answered_by == yibin_reporter_user
    with pytest.raises(ValidationError):
        services.message_answer(message=m, actor=yibin_reporter_user, text="再答复一次。")


def test_a_pending_message_cannot_be_answered(yibin_task: Task, yibin_reporter_user: User) -> None:
    m, _ = leave(yibin_task)
    with pytest.raises(PermissionDenied):
        services.message_answer(message=m, actor=yibin_reporter_user, text="答复内容五个字")


def test_overdue_opens_exactly_one_case(
    yibin_task: Task, chuannan_planner_user: User, yibin_reporter_user: User, units: f.Units
) -> None:
    late, _ = leave(yibin_task)
    services.message_moderate(
        message=late, actor=chuannan_planner_user, accept=True, now=at(dt.date(2024, 9, 27))
    )
    on_time, _ = leave(yibin_task, title="另一条")
    services.message_moderate(
        message=on_time, actor=chuannan_planner_user, accept=True, now=at(dt.date(2024, 9, 27))
    )
    services.message_answer(message=on_time, actor=yibin_reporter_user, text="已经答复了。")
    assert "0 overdue" in feedback_overdue_run(today=dt.date(2024, 10, 23))  # due that day
    assert not SupervisionCase.objects.exists()
    summary = feedback_overdue_run(today=dt.date(2024, 10, 24))
    assert summary.startswith("1 overdue")
    case = SupervisionCase.objects.get()
    assert case.subject == late and case.unit == units.yibin and case.plan == late.plan
    assert case.about_url == f"/feedback/messages/{late.pk}/"
    late.refresh_from_db()
    assert late.overdue_case == case
    feedback_overdue_run(today=dt.date(2024, 10, 25))
    SupervisionCase.objects.filter(pk=case.pk).update(status="closed")
    feedback_overdue_run(today=dt.date(2024, 10, 28))
    assert SupervisionCase.objects.count() == 1  # once, even after the case is closed
    assert feedback_overdue_run(today=dt.date(2024, 10, 29), dry_run=True).startswith("0 overdue")


def test_dry_run_opens_nothing(yibin_task: Task, chuannan_planner_user: User) -> None:
    m, _ = leave(yibin_task)
    services.message_moderate(
        message=m, actor=chuannan_planner_user, accept=True, now=at(dt.date(2024, 9, 27))
    )
    assert feedback_overdue_run(today=dt.date(2024, 11, 1), dry_run=True).startswith("1 overdue")
    assert not SupervisionCase.objects.exists()


# --- ratings, 回访, appeals ----------------------------------------------------------------------


def answered(task: Task, planner: User, handler: User, **kw: object) -> Message:
    m = accepted(task, planner, **kw)
    return services.message_answer(message=m, actor=handler, text="已按计划推进，感谢关注。")


def test_a_bad_rating_opens_a_follow_up_the_unit_fills_in(
    yibin_task: Task,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    luzhou_reporter_user: User,
) -> None:
    good = answered(yibin_task, chuannan_planner_user, yibin_reporter_user, title="满意的")
    services.message_rate(message=good, rating=Rating.SATISFIED)
    assert not FollowUp.objects.exists()
    with pytest.raises(ValidationError):
        services.message_rate(message=good, rating=Rating.UNSATISFIED)  # once
    bad = answered(yibin_task, chuannan_planner_user, yibin_reporter_user)
    services.message_rate(message=bad, rating=Rating.UNSATISFIED)
    follow_up = FollowUp.objects.get(message=bad)
    assert not follow_up.done
    assert bad in selectors.handling_queue(yibin_reporter_user)  # a 回访 to fill in
    called = dt.datetime(2024, 10, 30, 9, tzinfo=dt.UTC)
    with pytest.raises(PermissionDenied):
        services.follow_up_fill(
            message=bad,
            actor=luzhou_reporter_user,
            caller="王",
            called_at=called,
            summary="电话回访留言人。",
            outcome="理解",
        )
    services.follow_up_fill(
        message=bad,
        actor=yibin_reporter_user,
        caller="宜宾市发改委 王科长",
        called_at=called,
        summary="电话回访，解释了开工时间安排。",
        outcome="留言人表示理解",
    )
    follow_up.refresh_from_db()
    assert follow_up.done and follow_up.filled_by == yibin_reporter_user
    with pytest.raises(ValidationError):  # recorded once, never overwritten
        services.follow_up_fill(
            message=bad,
            actor=yibin_reporter_user,
            caller="另一人",
            called_at=called,
            summary="改写回访记录。",
            outcome="改写",
        )
    assert bad not in selectors.handling_queue(yibin_reporter_user)


def test_rating_needs_an_answer(yibin_task: Task, chuannan_planner_user: User) -> None:
    m = accepted(yibin_task, chuannan_planner_user)
    with pytest.raises(ValidationError):
        services.message_rate(message=m, rating=Rating.SATISFIED)


def test_an_appeal_is_decided_by_the_moderator(
    yibin_task: Task,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    yibin_reviewer_user: User,
) -> None:
    m = answered(yibin_task, chuannan_planner_user, yibin_reporter_user)
    with pytest.raises(ValidationError):
        services.appeal_file(message=m, actor=yibin_reviewer_user, reason="评价与答复无关。")
    services.message_rate(message=m, rating=Rating.UNSATISFIED)
    services.appeal_file(
        message=m, actor=yibin_reviewer_user, reason="评价针对的是票价，与本任务无关。"
    )
    assert m in selectors.moderation_queue(chuannan_planner_user)
    with pytest.raises(PermissionDenied):
        services.appeal_decide(message=m, actor=yibin_reviewer_user, uphold=True, note="成立")
    services.appeal_decide(
        message=m, actor=chuannan_planner_user, uphold=True, note="评价与留言无关"
    )
    assert m.appeal_status == "upheld"
    with pytest.raises(ConcurrentUpdate):  # decided once
        services.appeal_decide(message=m, actor=chuannan_planner_user, uphold=False, note="再议")


def test_every_step_is_audited(
    yibin_task: Task,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    new_audit_events: Callable[[], QuerySet[AuditEvent]],
) -> None:
    m = answered(yibin_task, chuannan_planner_user, yibin_reporter_user)
    services.message_rate(message=m, rating=Rating.BASIC)
    actions = list(new_audit_events().values_list("action", flat=True))
    assert [a for a in actions if a.startswith("feedback.")] == [
        "feedback.submit",
        "feedback.accept",
        "feedback.answer",
        "feedback.rate",
    ]
    submitted = new_audit_events().get(action="feedback.submit")
    assert submitted.actor_id is None and submitted.actor_label == "anonymous"
    # nothing audited carries the contact
    assert not AuditEvent.objects.filter(new__icontains="13812345678").exists()


def test_sensitive_words_are_edited_by_administrators(
    sysadmin_user: User, chuannan_planner_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.sensitive_word_add(actor=chuannan_planner_user, word="新词")
    w = services.sensitive_word_add(actor=sysadmin_user, word="新词")
    with pytest.raises(ValidationError):
        services.sensitive_word_add(actor=sysadmin_user, word="新词")
    services.sensitive_word_remove(actor=sysadmin_user, word_id=w.pk)
    assert not SensitiveWord.objects.filter(word="新词").exists()


def test_unit_figures_for_the_assessment(
    yibin_task: Task,
    chuannan_planner_user: User,
    yibin_reporter_user: User,
    units: f.Units,
) -> None:
    shown = at(dt.date(2024, 9, 27))
    rated = []
    for n, rating in enumerate((Rating.SATISFIED, Rating.UNSATISFIED, Rating.UNSATISFIED)):
        m, _ = leave(yibin_task, title=f"留言{n}")
        services.message_moderate(message=m, actor=chuannan_planner_user, accept=True, now=shown)
        services.message_answer(
            message=m,
            actor=yibin_reporter_user,
            text="已按计划推进。",
            now=at(dt.date(2024, 10, 8)),
        )
        services.message_rate(message=m, rating=rating)
        rated.append(m)
    services.appeal_file(message=rated[2], actor=yibin_reporter_user, reason="评价与本任务无关。")
    services.appeal_decide(message=rated[2], actor=chuannan_planner_user, uphold=True, note="成立")
    late, _ = leave(yibin_task, title="未答复")
    services.message_moderate(message=late, actor=chuannan_planner_user, accept=True, now=shown)
    feedback_overdue_run(today=dt.date(2024, 10, 24))
    figures = selectors.unit_figures(2024)[units.yibin.pk]
    assert figures == {
        "accepted": 4,
        "answered": 3,
        "on_time": 3,
        "overdue_cases": 1,
        "satisfied": 1,
        "basic": 0,
        "unsatisfied": 1,  # the upheld appeal's rating is not counted
    }
    assert selectors.unit_figures(2023) == {}


@pytest.mark.parametrize("odd", ["\x00", "\x1b", "\ud800"])
def test_control_characters_are_refused(yibin_task: Task, odd: str) -> None:
    for field in ("title", "body", "contact"):
        with pytest.raises(ValidationError) as exc:
            leave(yibin_task, **{field: f"城际铁路{odd}进度12"})
        assert "控制字符" in str(exc.value)
    assert leave(yibin_task, body="第一行\n第二行\t完")[0].body == "第一行\n第二行\t完"
