"""The life of a document: passages written in the browser, review refused while any is left,
issue with a 文号 (stored with the sha256 of its bytes, then frozen), reissue as a new
edition; every step audited; planners of another zone refused."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from planwatch.audit.models import AuditEvent
from planwatch.core.workflow import ServiceError
from planwatch.documents import services
from planwatch.documents.models import Document
from tests.documents.docx_checks import load, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(monitored: dict[str, Any], chuannan_planner_user: User) -> Document:
    return services.document_build(
        kind="annual", actor=chuannan_planner_user, year=2024, plan=monitored["plan"]
    )


def written(doc: Document, user: User) -> Document:
    texts_ = {k: f"{k}的内容。" for k in services.placeholders_left(doc)}
    return services.document_texts_set(document=doc, actor=user, texts=texts_)


def test_review_and_issue_refused_while_placeholders_remain(
    draft: Document, chuannan_planner_user: User
) -> None:
    with pytest.raises(ServiceError, match="待撰写"):
        services.document_review(document=draft, actor=chuannan_planner_user)
    services.document_texts_set(
        document=draft, actor=chuannan_planner_user, texts={"overview": "总体进展良好。"}
    )
    assert "总体进展良好。" in texts(load(services.document_bytes(draft)))
    with pytest.raises(ServiceError, match="待撰写"):
        services.document_review(document=draft, actor=chuannan_planner_user)
    with pytest.raises(ValidationError):
        services.document_texts_set(document=draft, actor=chuannan_planner_user, texts={"x": "y"})


def test_issue_freezes_with_sha256_and_number(draft: Document, chuannan_planner_user: User) -> None:
    doc = written(draft, chuannan_planner_user)
    services.document_review(document=doc, actor=chuannan_planner_user)
    with pytest.raises(ValidationError):
        services.document_issue(document=doc, actor=chuannan_planner_user, number="15号")
    services.document_issue(document=doc, actor=chuannan_planner_user, number="川发改〔2025〕15号")
    doc.refresh_from_db()
    assert doc.status == "issued" and doc.number == "川发改〔2025〕15号"
    data = services.document_bytes(doc)
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    body = texts(load(data))
    assert "川发改〔2025〕15号" in body
    assert not any("待撰写" in t for t in body)
    with pytest.raises(ServiceError, match="已印发"):
        services.document_texts_set(
            document=doc, actor=chuannan_planner_user, texts={"overview": "改"}
        )
    event = AuditEvent.objects.filter(action="document.issue", target_id=str(doc.pk)).get()
    assert event.new["sha256"] == doc.sha256
    # the stored bytes are checked against the frozen sha256
    with default_storage.open(doc.file.name, "wb") as fh:
        fh.write(b"tampered")
    with pytest.raises(ServiceError, match="校验值"):
        services.document_bytes(doc)


def test_number_used_once(
    monitored: dict[str, Any], draft: Document, chuannan_planner_user: User
) -> None:
    for doc in (
        draft,
        services.document_build(
            kind="bulletin",
            actor=chuannan_planner_user,
            year=2024,
            plan=monitored["plan"],
            quarter=2,
        ),
    ):
        written(doc, chuannan_planner_user)
        services.document_review(document=doc, actor=chuannan_planner_user)
    services.document_issue(document=draft, actor=chuannan_planner_user, number="川发改〔2025〕1号")
    second = Document.objects.get(kind="bulletin")
    with pytest.raises(ValidationError, match="文号"):
        services.document_issue(
            document=second, actor=chuannan_planner_user, number="川发改〔2025〕1号"
        )


def test_reissue_is_a_new_edition(draft: Document, chuannan_planner_user: User) -> None:
    doc = written(draft, chuannan_planner_user)
    services.document_review(document=doc, actor=chuannan_planner_user)
    services.document_issue(document=doc, actor=chuannan_planner_user, number="川发改〔2025〕2号")
    sha = doc.sha256
    new = services.document_reissue(document=doc, actor=chuannan_planner_user)
    assert (new.edition, new.supersedes_id, new.status) == (2, doc.pk, "draft")
    assert new.texts == doc.texts
    doc.refresh_from_db()
    assert doc.sha256 == sha and doc.status == "issued"
    with pytest.raises(ServiceError):
        services.document_reissue(document=doc, actor=chuannan_planner_user)


def test_other_zone_planner_refused(
    monitored: dict[str, Any], draft: Document, panxi_planner_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.document_build(
            kind="annual", actor=panxi_planner_user, year=2024, plan=monitored["plan"]
        )
    with pytest.raises(PermissionDenied):
        services.document_texts_set(document=draft, actor=panxi_planner_user, texts={})


def test_build_audited(draft: Document) -> None:
    event = AuditEvent.objects.get(action="document.create", target_id=str(draft.pk))
    assert event.new["sha256"] == draft.sha256
