"""A draw cannot be made before its seed source publishes its value: the day is asked when the draw is defined
(today or later), and drawing before it is refused beside the seed field with the draw unchanged; the draw
button asks for confirmation (first-day tester, round 8: a typed value for a lottery of next week was taken)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision.models import Draw, Inspection
from supervision.services.draws import draw_define, draw_perform
from tests.supervision.factories import today_is

SOURCE = "2026年12月10日福彩3D开奖号码"
PUBLISHED = dt.date(2026, 12, 10)


@pytest.fixture
def entries(nanning_entry, liuzhou_entry, city_scope):
    return [nanning_entry, liuzhou_entry, city_scope[0]]


def _form(**overrides) -> dict:
    return {"title": "双随机抽查", "n": "1", "m": "1", "seed_source": SOURCE, "status": "active", **overrides}


@pytest.mark.parametrize(
    ("published", "accepted"),
    [("", False), ("2026-12-02", False), ("2026-12-03", True), ("2026-12-10", True)],
)
def test_the_form_asks_the_day_the_seed_is_published_today_or_later(people, entries, client_for, published, accepted):
    with today_is(dt.date(2026, 12, 3)):
        page = client_for(people.centre).post(reverse("supervision:draws"), _form(seed_published_on=published))
    assert Draw.objects.exists() is accepted
    if accepted:
        assert Draw.objects.get().seed_published_on == dt.date.fromisoformat(published)
    else:
        assert page.status_code == 400
        html = page.content.decode()
        assert "种子来源公布数值的日期" in html
        assert ("请选择种子来源公布数值的日期" in html) if not published else ("不能早于今天" in html)


@pytest.mark.parametrize(("today", "drawn"), [(PUBLISHED - dt.timedelta(days=1), False), (PUBLISHED, True)])
def test_no_draw_before_the_seed_is_published(people, entries, client_for, today, drawn):
    with today_is(dt.date(2026, 12, 3)):
        draw = draw_define(by=people.centre, title="抽查", n=1, m=1, seed_source=SOURCE, seed_published_on=PUBLISHED)
    url = reverse("supervision:draw_detail", args=[draw.pk])
    with today_is(today):
        page = client_for(people.centre).post(url, {"seed_value": "4 8 1"})
    draw.refresh_from_db()
    if drawn:
        assert page.status_code == 302 and draw.status == Draw.Status.DRAWN and draw.seed_value == "4 8 1"
    else:
        assert page.status_code == 400
        assert "种子来源将于2026-12-10公布数值，当日或以后方可抽取。" in page.content.decode()
        assert draw.status == Draw.Status.DEFINED and draw.seed_value == "" and draw.picks == []
        assert not Inspection.objects.filter(draw=draw).exists()
        with today_is(today), pytest.raises(ValidationError) as raised:
            draw_perform(draw=draw, by=people.centre, seed_value="4 8 1")
        assert "seed_value" in raised.value.message_dict


def test_the_draw_page_says_when_and_asks_before_drawing(people, entries, client_for):
    with today_is(dt.date(2026, 12, 3)):
        draw = draw_define(by=people.centre, title="抽查", n=1, m=1, seed_source=SOURCE, seed_published_on=PUBLISHED)
        html = client_for(people.centre).get(reverse("supervision:draw_detail", args=[draw.pk])).content.decode()
    assert "种子来源将于2026-12-10公布数值，自当日起方可抽取。" in html
    assert "确定用此种子值立即抽取" in html


@pytest.mark.parametrize(
    ("published", "accepted"),
    [(None, False), (dt.date(2026, 12, 2), False), (dt.date(2026, 12, 3), True), (PUBLISHED, True)],
)
def test_the_service_itself_asks_the_day_the_seed_is_published(people, entries, published, accepted):
    """Issue sup9 item 6: the form required the day, the service did not — a draw defined without it (by a script,
    an import, another form) could be drawn at once, before its seed existed."""
    kwargs = {} if published is None else {"seed_published_on": published}
    with today_is(dt.date(2026, 12, 3)):
        if accepted:
            draw = draw_define(by=people.centre, title="抽查", n=1, m=1, seed_source=SOURCE, **kwargs)
            assert draw.seed_published_on == published
        else:
            with pytest.raises(ValidationError) as excinfo:
                draw_define(by=people.centre, title="抽查", n=1, m=1, seed_source=SOURCE, **kwargs)
            assert list(excinfo.value.message_dict) == ["seed_published_on"]
    assert Draw.objects.exists() is accepted
