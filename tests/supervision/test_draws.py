"""Random inspection draws (双随机一公开): the stand-alone script, run in a subprocess from what the public page
publishes, gives the portal's picks; every agency and every inspector is drawn equally often (chi-square);
conflicts are never drawn; who defines and who draws."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.lib import randomdraw
from portal.lib.errors import WorkflowError
from supervision.models import Draw, Inspection
from supervision.services.draws import draw_define, draw_perform
from supervision.services.inspections import inspection_open

SOURCE = "2026年12月15日福彩3D开奖号码"

# Chi-square critical values at p = 0.001 (standard table): 9 degrees of freedom 27.877, 5 degrees 20.515.
CHI2_9_0001 = 27.877
CHI2_5_0001 = 20.515


def chi_square(counts: Counter, keys, expected: float) -> float:
    return sum((counts[k] - expected) ** 2 / expected for k in keys)


def inputs(seed_value: str, *, agencies=range(1, 11), inspectors=range(101, 107), n=3, m=2, conflicts=()) -> dict:
    return {
        "agencies": list(agencies),
        "inspectors": list(inspectors),
        "conflicts": [list(c) for c in conflicts],
        "n": n,
        "m": m,
        "seed_source": SOURCE,
        "seed_value": seed_value,
    }


def test_each_agency_and_each_inspector_is_drawn_equally_often():
    draws = 3000
    agencies, inspectors = Counter(), Counter()
    for k in range(draws):
        for pick in randomdraw.draw(inputs(f"{k:03d}")):
            agencies[pick["agency"]] += 1
            inspectors.update(pick["inspectors"])
    # 3000 draws × 3 of 10 agencies: 900 each; × 2 of 6 inspectors per agency: 3000 each.
    assert sum(agencies.values()) == 9000 and sum(inspectors.values()) == 18000
    assert chi_square(agencies, range(1, 11), 900) < CHI2_9_0001
    assert chi_square(inspectors, range(101, 107), 3000) < CHI2_5_0001


def test_a_draw_is_the_same_for_the_same_inputs_and_changes_with_the_seed_value():
    assert randomdraw.draw(inputs("381")) == randomdraw.draw(inputs("381"))
    assert len({json.dumps(randomdraw.draw(inputs(f"{k}"))) for k in range(20)}) > 15
    picks = randomdraw.draw(inputs("381"))
    assert len(picks) == 3 and len({p["agency"] for p in picks}) == 3
    assert all(len(set(p["inspectors"])) == 2 for p in picks)


def test_conflicts_are_never_drawn():
    conflicts = [(101, a) for a in range(1, 11)] + [(102, 5)]
    for k in range(300):
        for pick in randomdraw.draw(inputs(f"c{k}", conflicts=conflicts)):
            assert 101 not in pick["inspectors"]
            assert not (pick["agency"] == 5 and 102 in pick["inspectors"])


def test_the_order_of_the_pools_as_given_does_not_matter():
    assert randomdraw.draw(inputs("7", agencies=range(10, 0, -1))) == randomdraw.draw(inputs("7"))


# ---------------------------------------------------------------- in the portal


@pytest.fixture
def entries(nanning_entry, liuzhou_entry, city_scope):
    return [nanning_entry, liuzhou_entry, city_scope[0]]


def test_the_published_script_reproduces_the_portals_picks(people, entries, client, tmp_path):
    draw = draw_define(
        by=people.centre,
        title="2026年第四季度双随机抽查",
        n=2,
        m=2,
        seed_source=SOURCE,
        seed_published_on=timezone.localdate(),
    )
    assert sorted(draw.agency_ids) == sorted(e.pk for e in entries)
    draw_perform(draw=draw, by=people.centre, seed_value="4 8 1")
    draw.refresh_from_db()
    (tmp_path / "inputs.json").write_bytes(client.get(reverse("draws:inputs", args=[draw.pk])).content)
    script = client.get(reverse("draws:script"))
    assert script["Content-Disposition"] == 'attachment; filename="randomdraw.py"'
    (tmp_path / "randomdraw.py").write_bytes(script.content)
    # -I -S: isolated, without site-packages: the standard library only.
    run = subprocess.run(
        [sys.executable, "-I", "-S", "randomdraw.py", "inputs.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(run.stdout) == draw.picks
    # One inspection per drawn agency, led by its first drawn inspector.
    inspections = Inspection.objects.filter(draw=draw)
    assert sorted(i.entry_id for i in inspections) == sorted(p["agency"] for p in draw.picks)
    for pick in draw.picks:
        assert inspections.get(entry_id=pick["agency"]).inspector_id == pick["inspectors"][0]
    page = client.get(reverse("draws:detail", args=[draw.pk])).content.decode()
    assert "4 8 1" in page and SOURCE in page


def test_an_inspector_who_inspected_an_agency_is_not_drawn_for_it(people, entries):
    inspection_open(entry=entries[0], by=people.police_nanning)
    draw = draw_define(
        by=people.centre, title="抽查", n=3, m=2, seed_source=SOURCE, seed_published_on=timezone.localdate()
    )
    assert [people.police_nanning.pk, entries[0].pk] in draw.conflicts
    draw_perform(draw=draw, by=people.centre, seed_value="1")
    draw.refresh_from_db()
    pick = next(p for p in draw.picks if p["agency"] == entries[0].pk)
    assert people.police_nanning.pk not in pick["inspectors"]


@pytest.mark.parametrize(("n", "m", "field"), [(0, 1, "n"), (4, 1, "n"), (1, 0, "m"), (1, 6, "m"), (None, 1, "n")])
def test_n_and_m_within_the_pools(people, entries, n, m, field):
    with pytest.raises(ValidationError) as raised:
        draw_define(
            by=people.centre, title="抽查", n=n, m=m, seed_source=SOURCE, seed_published_on=timezone.localdate()
        )
    assert field in raised.value.message_dict
    assert not Draw.objects.exists()


def test_n_on_the_size_of_the_pool_is_accepted(people, entries):
    assert (
        draw_define(
            by=people.centre, title="抽查", n=3, m=1, seed_source=SOURCE, seed_published_on=timezone.localdate()
        ).n
        == 3
    )


def test_a_city_bureau_draws_in_its_city_only(people, entries):
    draw = draw_define(
        by=people.city_liuzhou, title="柳州抽查", n=1, m=1, seed_source=SOURCE, seed_published_on=timezone.localdate()
    )
    assert sorted(draw.agency_ids) == sorted([entries[1].pk, entries[2].pk])
    assert people.police_nanning.pk not in draw.inspector_ids and people.police_liuzhou.pk in draw.inspector_ids


@pytest.mark.parametrize("name", ["police_nanning", "agency_nanning", "expert_assigned", "admin"])
def test_only_hr_officials_define_draws(people, entries, name):
    with pytest.raises(PermissionDenied):
        draw_define(by=getattr(people, name), title="抽查", n=1, m=1, seed_source=SOURCE)


def test_a_draw_is_made_once_by_its_department_with_the_seed_value(people, entries):
    draw = draw_define(
        by=people.centre, title="抽查", n=1, m=1, seed_source=SOURCE, seed_published_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        draw_perform(draw=draw, by=people.city_nanning, seed_value="1")
    with pytest.raises(ValidationError):
        draw_perform(draw=draw, by=people.centre, seed_value=" ")
    draw_perform(draw=draw, by=people.centre, seed_value="123")
    with pytest.raises(WorkflowError):
        draw_perform(draw=draw, by=people.centre, seed_value="456")
    draw.refresh_from_db()
    assert draw.seed_value == "123" and Inspection.objects.filter(draw=draw).count() == 1
