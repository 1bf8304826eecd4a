"""The demo's Guangxi expert pool is large enough for the panel page's default draw (first-day tester, demo12: the
pool had expert1 and expert2, the page offers to draw three, and the centre's draw was refused on day one).

Each Guangxi application of the demo that awaits its panel takes the draw exactly as the page offers it (its count,
its specialty box), after `seed_demo` and after `seed_demo --reset`; every expert of the pool signs in with the
README's secret, as expert1 and expert2 do."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from filings.models import Application, ExpertProfile, PanelDraw, State
from portal.models import Role, User
from portal.second_factor.services import authenticator_of
from tests.conftest import seed_demo

# The panel page's draw: a panel of three.
DEFAULT_DRAW = 3
GUANGXI = "450000"


def _readme_secrets() -> dict[str, str]:
    """The README's demo-account table: user name → TOTP secret, for the rows that give one."""
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| [^|]+ \| `([A-Z2-7]{32})` \|", text, re.M))


def _awaiting_panel() -> list[Application]:
    return list(
        Application.objects.filter(state=State.ASSESSMENT, call__province__code=GUANGXI, panel__isnull=True).distinct()
    )


def _offered_draw(page: str) -> dict[str, str]:
    """The draw form's fields as the page fills them: what the centre sends by pressing its button."""
    form = page[page.index('id="draw"') :]
    form = form[: form.index("</form>")]
    fields = {"action": "draw", "count": re.search(r'id="draw-count"[^>]*value="([^"]*)"', form).group(1)}
    if re.search(r'<input[^>]*id="by-specialty"[^>]*checked', form):
        fields["by_specialty"] = "on"
    return fields


def _the_default_draw_succeeds(client) -> None:
    awaiting = _awaiting_panel()
    assert awaiting, "the demo has no Guangxi application awaiting its panel"
    for application in awaiting:
        url = reverse("filings:panel", args=[application.pk])
        page = client.get(url).content.decode()
        fields = _offered_draw(page)
        assert fields == {"action": "draw", "count": str(DEFAULT_DRAW), "by_specialty": "on"}
        assert "专家库中可抽取" not in page  # no warning that the pool is too small
        response = client.post(url, fields)
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert application.panel.count() == DEFAULT_DRAW
        draw = PanelDraw.objects.get(application=application)
        assert draw.by_specialty and len(draw.pool) >= DEFAULT_DRAW


@pytest.mark.django_db(transaction=True)
def test_the_centre_can_draw_the_default_panel_after_seeding_and_after_a_reset(reference_data, client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    seed_demo()  # what the command seeds (copied back when this process has already run it); then --reset below
    pool = User.objects.filter(
        role=Role.EXPERT, expert_profile__active=True, expert_profile__province__code=GUANGXI
    ).order_by("username")
    assert pool.count() > DEFAULT_DRAW  # one to spare when a drawn expert declares a conflict
    secrets = _readme_secrets()
    for expert in pool:
        # As expert1 and expert2: in the README's table with their secret, enrolled with that secret.
        assert expert.username in secrets, expert.username
        device = authenticator_of(expert)
        assert device is not None, expert.username
        assert bytes.fromhex(device.key) == base64.b32decode(secrets[expert.username]), expert.username
        assert ExpertProfile.objects.get(user=expert).occupations.filter(code="3-02-02-00").exists()

    client.force_login(User.objects.get(username="centre"))
    _the_default_draw_succeeds(client)

    with override_settings(DEBUG=True):
        call_command("seed_demo", "--reset", stdout=io.StringIO())
    client.force_login(User.objects.get(username="centre"))  # seeding enrols the demo secret again: a new device
    _the_default_draw_succeeds(client)
    # 安盾's drawn panel is the same on every seeding: expert1 has handed in, expert2 is still scoring.
    andun = Application.objects.get(organisation__name="南宁市安盾职业技能培训学校")
    members = {member.expert.username: member for member in andun.panel.select_related("expert")}
    assert {"expert1", "expert2"} <= set(members)
    assert members["expert1"].scores_submitted_at is not None
    assert members["expert2"].scores_submitted_at is None
