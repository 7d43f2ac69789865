"""The pages of the surveys app: the planners' pages under /surveys/ and the public's under
/gongkai/wenjuan/ (no sign-in)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planwatch.core.client_address import client_address
from planwatch.core.web import REFUSALS, run_service
from planwatch.publication import services as publication
from planwatch.publication.selectors import live_publication
from planwatch.surveys import models as m
from planwatch.surveys import selectors, services
from planwatch.surveys.export import results_xlsx
from planwatch.surveys.forms import HONEYPOT, QuestionForm, ResponseForm, SurveyForm
from planwatch.surveys.permissions import can_run_any
from planwatch.surveys.receipts import has_answered, mark_answered

# ---------------------------------------------------------------- public pages


def _public(survey_id: int) -> m.Survey:
    survey = selectors.public_surveys().filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


def public_index(request: HttpRequest) -> HttpResponse:
    surveys = list(selectors.public_surveys().order_by("-year", "-pk"))
    published = selectors.published_survey_ids()
    rows = [(s, services.accepting(s) is None, s.pk in published) for s in surveys]
    return render(request, "surveys/public_index.html", {"rows": rows})


def public_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _public(survey_id)
    answered = has_answered(request, survey.pk)
    closed_why = services.accepting(survey)
    form = ResponseForm(request.POST or None, survey=survey)
    status = 200
    if request.method == "POST":
        if answered:
            messages.error(request, _("您已经填写过这份问卷，每人只能填写一次。感谢参与！"))
            status = 409
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.response_submit(
                    survey=survey,
                    rating=data["rating"],
                    answers=form.answers(),
                    comment=data.get("comment", ""),
                    prefecture=data.get("prefecture", ""),
                    honeypot=data.get(HONEYPOT, ""),
                    client=client_address(request),
                )
            except services.RateLimited as exc:
                messages.error(request, str(exc))
                status = 429
            except REFUSALS as exc:
                messages.error(request, _("；").join(getattr(exc, "messages", [str(exc)])))
                status = 409 if isinstance(exc, services.AlreadyAnswered) else 400
            else:
                done = redirect("surveys:public_thanks", survey.pk)
                mark_answered(done, survey.pk)
                return done
        else:
            status = 400
    context = {
        "survey": survey,
        "form": form,
        "answered": answered,
        "closed_why": closed_why,
        "results_public": selectors.results_public(survey),
        "limits": services.limits(survey.pk),
        "comment_max": services.comment_max(),
        "honeypot": HONEYPOT,
        "min_group": selectors.MIN_GROUP,
    }
    return render(request, "surveys/public_detail.html", context, status=status)


def public_thanks(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _public(survey_id)
    context = {"survey": survey, "results_public": selectors.results_public(survey)}
    return render(request, "surveys/public_thanks.html", context)


def public_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _public(survey_id)
    if not selectors.results_public(survey):
        raise Http404
    results = selectors.survey_results(survey)
    return render(request, "surveys/public_results.html", {"survey": survey, "results": results})


# ---------------------------------------------------------------- planners' pages


def _managed(request: HttpRequest, survey_id: int) -> m.Survey:
    survey = selectors.access_survey(request.user, survey_id)
    if survey is None:
        raise Http404
    return survey


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    if not can_run_any(request.user):
        raise PermissionDenied
    surveys = selectors.surveys_for(request.user).order_by("-year", "-pk")
    return render(request, "surveys/manage_index.html", {"surveys": surveys})


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    if not can_run_any(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan, unit = form.scope_objects()
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                title=data["title"],
                year=data["year"],
                plan=plan,
                org_unit=unit,
                description=data["description"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _("；").join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("问卷已创建（草稿）。"))
            return redirect("surveys:detail", survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    draft = survey.status == "draft"
    initial = {
        "title": survey.title,
        "year": survey.year,
        "description": survey.description,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
    }
    context: dict[str, Any] = {
        "survey": survey,
        "questions": survey.questions.all(),
        "edit_form": SurveyForm(initial=initial, editing=True) if draft else None,
        "question_form": QuestionForm() if draft else None,
        "results": selectors.survey_results(survey) if not draft else None,
        "comments": selectors.comments(survey) if not draft else [],
        "publication": live_publication(survey),
        "public_url": reverse("surveys:public_detail", args=[survey.pk]),
    }
    return render(request, "surveys/survey_detail.html", context)


@require_POST
@login_required
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    form = SurveyForm(request.POST, editing=True)
    if form.is_valid():
        d = form.cleaned_data
        run_service(
            request,
            lambda: services.survey_update(
                actor=request.user,
                survey=survey,
                title=d["title"],
                year=d["year"],
                description=d["description"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
            ),
            _("问卷已保存。"),
        )
    else:
        messages.error(request, _("请检查填写的内容。"))
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def question_add(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run_service(
            request,
            lambda: services.question_add(
                actor=request.user,
                survey=survey,
                text=d["text"],
                kind=d["kind"],
                choices=d["choices"].splitlines(),
                required=d["required"],
            ),
            _("问题已添加。"),
        )
    else:
        messages.error(request, _("请填写问题和题型。"))
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def question_delete(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404
    run_service(
        request,
        lambda: services.question_delete(actor=request.user, question=question),
        _("问题已删除。"),
    )
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def survey_open(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    run_service(
        request,
        lambda: services.survey_open(actor=request.user, survey=survey),
        _("问卷已开始征集，公众可以填写。"),
    )
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    run_service(
        request,
        lambda: services.survey_close(actor=request.user, survey=survey),
        _("问卷已结束征集。"),
    )
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def results_publish(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    note = request.POST.get("note", "")
    run_service(
        request,
        lambda: publication.publish(actor=request.user, subject=survey, note=note),
        _("问卷结果已公开。"),
    )
    return redirect("surveys:detail", survey.pk)


@require_POST
@login_required
def results_withdraw(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    reason = request.POST.get("reason", "")
    run_service(
        request,
        lambda: publication.withdraw(actor=request.user, subject=survey, reason=reason),
        _("问卷结果已撤回。"),
    )
    return redirect("surveys:detail", survey.pk)


@login_required
def results_export(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    data = results_xlsx(selectors.survey_results(survey))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.xlsx"'
    return response
