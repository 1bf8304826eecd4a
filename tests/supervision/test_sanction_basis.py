"""A sanction's basis (依据) is a clause of a rule: the document's name in 《》, the clause's number, its text
(first-day finding qa8b item 3: any text of ten characters passed, the name of a paper of the agency's own file
too). Each missing part is said in Chinese beside the field, and what the official typed stays in the form."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from supervision.models import Sanction
from supervision.services.sanctions import PILOT_EXIT_CLAUSE

pytestmark = pytest.mark.django_db

FACTS = "2026年2月10日保卫管理员三级认定中，考场视频监控未开启。"
DOCUMENT = "《关于开展社会培训评价组织职业技能等级认定试点工作的通知》"
NEED_DOCUMENT = "请写明所依据文件的名称，并用书名号《》标出"
NEED_CLAUSE = "请写明所引条款的序号"
NEED_TEXT = "请在条款序号后照录条款原文（至少8个字）"
NOT_A_RULE = "是机构档案中的文书，不是规定"


def _basis_block(page: str) -> str:
    """The basis field's block: its label, its textarea, its error messages and its help."""
    return page.split('id="div_id_basis"')[1].split('id="div_id_', 1)[0].split("</form>")[0]


def _post(client, entry, basis: str):
    url = reverse("supervision:sanction_new", args=[entry.pk])
    return client.post(url, {"kind": "warning", "facts": FACTS, "basis": basis})


@pytest.mark.parametrize(
    ("basis", "said", "not_said"),
    [
        ("依规定处理", [NEED_DOCUMENT, NEED_CLAUSE, NEED_TEXT], []),
        ("GXBA-2026-00001", [NEED_DOCUMENT, NEED_CLAUSE, NEED_TEXT], []),
        ("南宁市人社督〔2026〕3号", [NEED_DOCUMENT, NEED_CLAUSE, NEED_TEXT], []),
        ("《备案回执》GXBA-2026-00001 第一条：本机构已备案。", [NOT_A_RULE], [NEED_DOCUMENT, NEED_CLAUSE]),
        (f"{DOCUMENT}四（一）", [NEED_TEXT], [NEED_DOCUMENT, NEED_CLAUSE]),
        (f"{DOCUMENT}：建立信用档案和退出机制", [NEED_CLAUSE], [NEED_DOCUMENT, NEED_TEXT]),
        ("四（一）：建立问题查处和责任追究制度", [NEED_DOCUMENT], [NEED_CLAUSE, NEED_TEXT]),
        (f"{DOCUMENT}四（一）：建立信用档案制", [NEED_TEXT], [NEED_DOCUMENT, NEED_CLAUSE]),  # 7 characters of text
    ],
)
def test_a_basis_that_is_not_a_clause_is_refused_beside_the_field_and_the_typing_kept(
    people, nanning_entry, client_for, basis, said, not_said
):
    response = _post(client_for(people.city_nanning), nanning_entry, basis)
    assert response.status_code == 400
    assert not Sanction.objects.exists()
    page = html.unescape(response.content.decode())
    block = _basis_block(page)
    for message in said:
        assert message in block
    for message in not_said:
        assert message not in page
    assert re.search(r"<textarea[^>]*name=\"basis\"[^>]*>\s*" + re.escape(basis) + r"\s*</textarea>", page)
    assert FACTS in page
    assert 'value="warning" selected' in page or 'value="warning"selected' in page


@pytest.mark.parametrize(
    "basis",
    [
        PILOT_EXIT_CLAUSE,
        f"{DOCUMENT}四（一）：建立信用档案制度",  # exactly 8 characters of text
        "《社会培训评价组织管理办法》第十二条：评价机构违反规定的，予以警告。",
    ],
)
def test_a_quoted_clause_is_accepted(people, nanning_entry, client_for, basis):
    response = _post(client_for(people.city_nanning), nanning_entry, basis)
    assert response.status_code == 302
    assert Sanction.objects.get().basis == basis


def test_the_form_says_what_a_basis_is_made_of(people, nanning_entry, client_for):
    page = client_for(people.city_nanning).get(reverse("supervision:sanction_new", args=[nanning_entry.pk]))
    block = _basis_block(html.unescape(page.content.decode()))
    assert "依次写明三项：机构备案所依据文件的名称（用书名号《》）、适用本措施的条款序号、条款原文" in block
