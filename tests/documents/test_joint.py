"""联合行文: a planner names 省交通运输厅 and 省生态环境厅 as co-issuers of a 通报; the 版头 carries
the three authorities with 「文件」 beside them and the 署名 all three; issuing waits until each
co-issuer has approved (会签) — 交通运输厅's head office through the page — and a change of
the text asks them again."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client

from planwatch.core.workflow import ServiceError
from planwatch.documents import services
from planwatch.documents.models import Document
from tests.documents.docx_checks import load, texts
from tests.factories.personas import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(monitored: dict[str, Any], chuannan_planner_user: User, units: Any) -> Document:
    doc = services.document_build(
        kind="bulletin", actor=chuannan_planner_user, year=2024, plan=monitored["plan"], quarter=4
    )
    return services.document_co_issuers_set(
        document=doc, actor=chuannan_planner_user, units=[units.transport, units.ecology]
    )


def _ready(doc: Document, user: User) -> None:
    services.document_texts_set(
        document=doc, actor=user, texts={k: "按要求推进。" for k in services.placeholders_left(doc)}
    )
    services.document_review(document=doc, actor=user)


def test_joint_head_and_signature(joint: Document, units: Any) -> None:
    d = load(services.document_bytes(joint))
    head = d.tables[0]
    names = [row.cells[0].text for row in head.rows]
    assert names == ["四川省发展和改革委员会", units.transport.name, units.ecology.name]
    assert {row.cells[1].text for row in head.rows} == {"文件"}
    body = texts(d)
    for name in names:
        assert name in body  # 署名, one line each


def test_issue_waits_for_every_cosign(
    joint: Document,
    chuannan_planner_user: User,
    transport_reviewer_user: User,
    yibin_reviewer_user: User,
    planner_user: User,
    units: Any,
) -> None:
    _ready(joint, chuannan_planner_user)
    with pytest.raises(ServiceError, match="会签"):
        services.document_issue(
            document=joint, actor=chuannan_planner_user, number="川发改〔2025〕9号"
        )
    with pytest.raises(PermissionDenied):
        services.document_cosign(document=joint, actor=yibin_reviewer_user, unit=units.transport)
    page = logged_in(transport_reviewer_user)
    assert page.get(f"/documents/{joint.pk}/").status_code == 200
    page.post(f"/documents/{joint.pk}/cosign/", {"unit": units.transport.pk})
    assert joint.co_issuers.get(unit=units.transport).approved_by == transport_reviewer_user
    services.document_cosign(document=joint, actor=planner_user, unit=units.ecology)
    joint.refresh_from_db()
    services.document_issue(document=joint, actor=chuannan_planner_user, number="川发改〔2025〕9号")
    joint.refresh_from_db()
    assert joint.status == "issued"


def test_text_change_asks_cosigners_again(
    joint: Document, chuannan_planner_user: User, planner_user: User, units: Any
) -> None:
    _ready(joint, chuannan_planner_user)
    services.document_cosign(document=joint, actor=planner_user, unit=units.ecology)
    services.document_texts_set(
        document=joint, actor=chuannan_planner_user, texts={"requirements": "改写。"}
    )
    assert joint.status == "draft"
    assert not joint.co_issuers.filter(approved_at__isnull=False).exists()


def test_co_issuers_chosen_on_the_page(
    monitored: dict[str, Any], chuannan_planner: Client, chuannan_planner_user: User, units: Any
) -> None:
    doc = services.document_build(
        kind="annual", actor=chuannan_planner_user, year=2024, plan=monitored["plan"]
    )
    assert 'id="co-issuers-form"' in chuannan_planner.get(f"/documents/{doc.pk}/").content.decode()
    chuannan_planner.post(f"/documents/{doc.pk}/co-issuers/", {"units": [units.transport.pk]})
    doc.refresh_from_db()
    assert doc.authorities == ["四川省发展和改革委员会", units.transport.name]
