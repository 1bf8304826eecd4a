"""The panel page's random draw when the pool is smaller than the draw the page offers (first-day tester, demo12:
the demo's Guangxi pool had two experts and the default draw of three was refused with no word beforehand).

The centre is told, beside the count, how many experts the pool can give and how many the draw needs — before
trying, and again when a draw is refused — and what it typed (the count, the specialty box) is kept."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from filings.models import ExpertProfile, PanelDraw
from portal.models import Region
from tests.filings.factories import ExpertFactory
from tests.filings.test_panel import in_assessment

# The panel page offers a panel of three (a middle score and a spread).
DEFAULT = 3


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _draw_form(page: str) -> str:
    start = page.index('id="draw"')
    return page[start : page.index("</form>", start)]


def _count_value(form: str) -> str:
    return re.search(r'id="draw-count"[^>]*value="([^"]*)"', form).group(1)


def _specialty_ticked(form: str) -> bool:
    return re.search(r'<input[^>]*id="by-specialty"[^>]*>', form).group(0).find("checked") >= 0


def _pool_of(people, size: int, *, other_specialty: int = 0) -> None:
    """Guangxi's pool: ``size`` experts of the security-manager occupation (the people's two first), and
    ``other_specialty`` more of another occupation only."""
    guangxi = Region.objects.get(code="450000")
    experts = [people.expert_assigned, people.expert_other]
    for index in range(max(0, size - 2)):
        experts.append(ExpertFactory(username=f"pool_{index}"))
    for expert in experts[size:]:
        ExpertProfile.objects.filter(user=expert).update(active=False)
    for index in range(other_specialty):
        other = ExpertFactory(username=f"other_{index}")
        profile = other.expert_profile
        profile.province = guangxi
        profile.save()
        profile.occupations.set(profile.occupations.model.objects.filter(code="4-07-05-01"))


@pytest.mark.parametrize(("size", "warned"), [(DEFAULT - 1, True), (DEFAULT, False), (DEFAULT + 1, False)])
def test_the_page_says_before_the_draw_when_the_pool_is_smaller_than_the_draw_it_offers(
    people, client_for, size, warned
):
    application = in_assessment(people)
    _pool_of(people, size)
    page = client_for(people.centre).get(reverse("filings:panel", args=[application.pk])).content.decode()
    form = _draw_form(page)
    assert _count_value(form) == str(DEFAULT)
    assert f"目前可抽取的专家：申请所涉职业 {size} 名，不限专业 {size} 名。" in form
    said = f"专家库中可抽取的申请所涉职业专家只有 {size} 名，本次抽取需要 {DEFAULT} 名。"
    assert (said in form) is warned
    if warned:
        # Nobody of another specialty either: unticking the box would not help, the pool needs experts.
        assert "请减少抽取人数，或请系统管理员向专家库补充专家。" in form
        assert 'aria-describedby="draw-pool draw-short"' in form


def test_when_other_specialties_would_do_the_message_says_to_untick_the_box(people, client_for):
    application = in_assessment(people)
    _pool_of(people, 2, other_specialty=1)
    form = _draw_form(client_for(people.centre).get(reverse("filings:panel", args=[application.pk])).content.decode())
    assert "目前可抽取的专家：申请所涉职业 2 名，不限专业 3 名。" in form
    assert "专家库中可抽取的申请所涉职业专家只有 2 名，本次抽取需要 3 名。" in form
    assert "请减少抽取人数，或取消勾选“仅限申请所涉职业的专家”。" in form


def test_a_refused_draw_says_the_numbers_beside_the_count_and_keeps_what_was_typed(people, client_for):
    application = in_assessment(people)
    _pool_of(people, 2, other_specialty=1)
    url = reverse("filings:panel", args=[application.pk])
    client = client_for(people.centre)
    # Four of any specialty asked for (the box unticked): three could be drawn.
    response = client.post(url, {"action": "draw", "count": "4"})
    assert response.status_code == 400
    form = _draw_form(response.content.decode())
    assert "专家库中可抽取的专家只有 3 名，本次抽取需要 4 名。" in form
    assert 'id="draw-error"' in form and 'aria-invalid="true"' in form
    assert _count_value(form) == "4"
    assert not _specialty_ticked(form)
    assert not application.panel.exists() and not PanelDraw.objects.exists()
    # Three of the application's occupation (the box ticked): two could be drawn.
    response = client.post(url, {"action": "draw", "count": "3", "by_specialty": "on"})
    assert response.status_code == 400
    form = _draw_form(response.content.decode())
    assert "专家库中可抽取的申请所涉职业专家只有 2 名，本次抽取需要 3 名。" in form
    assert "请减少抽取人数，或取消勾选“仅限申请所涉职业的专家”。" in form
    assert _count_value(form) == "3" and _specialty_ticked(form)
    assert not application.panel.exists() and not PanelDraw.objects.exists()
    # On the pool's own size the draw goes through.
    assert client.post(url, {"action": "draw", "count": "3"}).status_code == 302
    assert application.panel.count() == 3 and PanelDraw.objects.count() == 1


def test_a_refused_conclusion_leaves_the_draw_form_as_the_page_offers_it(people, client_for):
    application = in_assessment(people)
    _pool_of(people, DEFAULT)
    response = client_for(people.centre).post(
        reverse("filings:panel", args=[application.pk]), {"action": "conclude", "text": "结论"}
    )
    assert response.status_code == 400
    form = _draw_form(response.content.decode())
    assert _count_value(form) == str(DEFAULT) and _specialty_ticked(form)
