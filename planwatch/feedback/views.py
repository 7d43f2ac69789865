"""Pages of messages (留言). Public, no sign-in: the form (`feedback:new`), the receipt page
where the citizen follows their message and rates the answer, and the accepted messages of a
subject (`feedback:public_list`). Staff: the moderation queue, the unit's queue, a message
with the actions its viewer may take, and the sensitive-word list (administrators)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from planwatch.accounts.permissions import is_admin, is_planner
from planwatch.core.client_address import client_address
from planwatch.core.ratelimit import check
from planwatch.core.web import run_service
from planwatch.feedback import conf, selectors, services
from planwatch.feedback.choices import MessageStatus
from planwatch.feedback.forms import (
    HONEYPOT,
    FollowUpForm,
    MessageForm,
    RatingForm,
    RejectForm,
)
from planwatch.feedback.models import FollowUp, SensitiveWord
from planwatch.feedback.permissions import (
    Action,
    access_message,
    can_moderate,
    is_handler,
    is_unit_staff,
)
from planwatch.feedback.subjects import Subject, public_subject


def _subject(request: HttpRequest) -> Subject:
    subject = public_subject(request.GET.get("kind", ""), request.GET.get("id"))
    if subject is None:
        raise Http404
    return subject


def _form_errors(form: MessageForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest) -> HttpResponse:
    subject = _subject(request)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                _message, code = services.message_submit(
                    kind=data["kind"],
                    subject_kind=subject.kind,
                    subject_id=subject.obj.pk,
                    title=data["title"],
                    body=data["body"],
                    contact=data["contact"],
                    honeypot=request.POST.get(HONEYPOT, ""),
                    client=client_address(request),
                )
            except services.RateLimited as exc:
                form.add_error(None, exc.messages)
                status = 429
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                flash.success(request, _("留言已提交，审核通过后将公开并转办理单位答复。"))
                return redirect("feedback:receipt", code=code)
    context = {
        "subject": subject,
        "form": form,
        "honeypot": HONEYPOT,
        "workdays": conf.answer_workdays(),
    }
    return render(request, "feedback/message_new.html", context, status=status)


def public_list(request: HttpRequest) -> HttpResponse:
    subject = _subject(request)
    rows = selectors.public_messages(subject.kind, subject.obj.pk).select_related("unit")
    return render(request, "feedback/public_list.html", {"subject": subject, "rows": rows})


def _by_receipt(request: HttpRequest, code: str) -> Any:
    """The message of a receipt code (404 for any other code), or a 429 page when this
    address has looked up too many codes this hour."""
    if not check(conf.rating_limit(), client_address(request)):
        return HttpResponse(_("查询过于频繁，请稍后再试。"), status=429, content_type="text/plain")
    message = services.message_by_receipt(code)
    if message is None:
        raise Http404
    return message


RECEIPT_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def lookup(request: HttpRequest) -> HttpResponse:
    """Where a citizen who kept the code (not the address) types it in."""
    code = request.GET.get("code", "").strip()
    if RECEIPT_CODE.match(code):
        return redirect("feedback:receipt", code=code)
    error = _("查询码格式不正确。") if code else ""
    return render(request, "feedback/lookup.html", {"error": error, "code": code})


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    message = _by_receipt(request, code)
    if isinstance(message, HttpResponse):
        return message
    form = RatingForm() if message.status == MessageStatus.ANSWERED and not message.rating else None
    context = {"m": message, "code": code, "form": form}
    return render(request, "feedback/receipt.html", context)


@require_POST
def receipt_rate(request: HttpRequest, code: str) -> HttpResponse:
    message = _by_receipt(request, code)
    if isinstance(message, HttpResponse):
        return message
    run_service(
        request,
        lambda: services.message_rate(message=message, rating=request.POST.get("rating", "")),
        _("感谢您的评价。"),
    )
    return redirect("feedback:receipt", code=code)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The staff's way in: planners and administrators to the moderation queue, everyone
    else to their unit's messages."""
    return redirect("feedback:moderation" if is_planner(request.user) else "feedback:handling")


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    rows = selectors.moderation_queue(request.user)[:200]
    return render(request, "feedback/queue.html", {"rows": rows, "title": _("留言审核")})


@login_required
def handling(request: HttpRequest) -> HttpResponse:
    rows = selectors.handling_queue(request.user)[:200]
    return render(request, "feedback/queue.html", {"rows": rows, "title": _("留言办理")})


@login_required
def detail(request: HttpRequest, message_id: int) -> HttpResponse:
    m = access_message(request.user, message_id)
    user = request.user
    context = {
        "m": m,
        "contact": services.contact_for(message=m, viewer=user),
        "can_moderate": can_moderate(user, m),
        "is_staff": m.is_public and is_unit_staff(user, m),
        "is_handler": is_handler(user, m),
        "follow_up": FollowUp.objects.filter(message=m).first(),
        "assignable": selectors.assignable_staff(user, m),
        "reject_form": RejectForm(),
        "follow_up_form": FollowUpForm(),
    }
    return render(request, "feedback/detail.html", context)


ACTIONS: dict[str, tuple[Action, Callable[[Any, Any], Any], StrOrPromise]] = {
    "accept": (
        "moderate",
        lambda r, m: services.message_moderate(message=m, actor=r.user, accept=True),
        _l("留言已受理，已转办理单位。"),
    ),
    "reject": (
        "moderate",
        lambda r, m: services.message_moderate(
            message=m,
            actor=r.user,
            accept=False,
            reason=r.POST.get("reason", ""),
            note=r.POST.get("note", ""),
        ),
        _l("留言未通过审核。"),
    ),
    "claim": (
        "handle",
        lambda r, m: services.message_claim(message=m, actor=r.user),
        _l("已承办。"),
    ),
    "assign": ("handle", lambda r, m: _assign(r, m), _l("已改派。")),
    "answer": (
        "handle",
        lambda r, m: services.message_answer(message=m, actor=r.user, text=r.POST.get("text", "")),
        _l("答复已公开。"),
    ),
    "follow_up": ("handle", lambda r, m: _follow_up(r, m), _l("回访记录已保存。")),
    "appeal": (
        "handle",
        lambda r, m: services.appeal_file(message=m, actor=r.user, reason=r.POST.get("text", "")),
        _l("申诉已提交。"),
    ),
    "uphold": (
        "moderate",
        lambda r, m: services.appeal_decide(
            message=m, actor=r.user, uphold=True, note=r.POST.get("text", "")
        ),
        _l("申诉成立，该评价不计。"),
    ),
    "dismiss": (
        "moderate",
        lambda r, m: services.appeal_decide(
            message=m, actor=r.user, uphold=False, note=r.POST.get("text", "")
        ),
        _l("申诉已驳回。"),
    ),
}


def _assign(request: HttpRequest, message: Any) -> Any:
    """A unit reviewer hands the message to one of the unit's staff (chosen by id)."""
    chosen = request.POST.get("handler", "")
    handler = next(
        (u for u in selectors.assignable_staff(request.user, message) if str(u.pk) == chosen),
        None,
    )
    if handler is None:
        raise ValidationError(_("请选择承办人。"))
    return services.message_claim(message=message, actor=request.user, handler=handler)


def _follow_up(request: HttpRequest, message: Any) -> Any:
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errs in form.errors.values() for e in errs])
    return services.follow_up_fill(message=message, actor=request.user, **form.cleaned_data)


@login_required
@require_POST
def action(request: HttpRequest, message_id: int, name: str) -> HttpResponse:
    if name not in ACTIONS:
        raise Http404
    needs, call, done = ACTIONS[name]
    message = access_message(request.user, message_id, action=needs)
    run_service(request, lambda: call(request, message), str(done))
    return redirect("feedback:detail", message_id=message.pk)


@login_required
@require_http_methods(["GET", "POST"])
def words(request: HttpRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise Http404
    if request.method == "POST":
        if request.POST.get("remove"):
            run_service(
                request,
                lambda: services.sensitive_word_remove(
                    actor=request.user, word_id=int(request.POST["remove"] or 0)
                ),
                _("已删除。"),
            )
        else:
            run_service(
                request,
                lambda: services.sensitive_word_add(
                    actor=request.user, word=request.POST.get("word", "")
                ),
                _("已添加。"),
            )
        return redirect("feedback:words")
    rows = SensitiveWord.objects.all()
    return render(request, "feedback/words.html", {"rows": rows})


def new_url(kind: str, subject_id: int) -> str:
    """The form's address for a subject (for the portal's pages)."""
    return f"{reverse('feedback:new')}?kind={kind}&id={subject_id}"
