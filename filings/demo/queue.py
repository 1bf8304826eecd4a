"""A centre's acceptance queue long enough to page through (two pages of 50, and its 共 N 条), for
`manage.py seed_demo`: small demo agencies of 南宁 and 柳州 whose applications their city bureau recommended, now
waiting for the centre's acceptance (受理). The cities' own lists grow with them.

Each application goes the real way (submitted with its materials, recommended by the city), inside one
transaction: on SQLite, two rounds of a fresh ``seed_demo`` on a busy 2-core machine took 79 s and 49 s before
(34 s and 25 s of CPU), 84 s and 65 s after (36 s and 32 s of CPU). Idempotent: made once, found
again by the organisations' names.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from agencies.models import Call, Organisation
from filings.demo.review import _submitted, demo_landline, filler_agency
from filings.models import Application
from filings.services import application_transition
from portal.models import Region, User

CITIES = {"450100": "city_nanning", "450200": "city_liuzhou"}
WORDS = [
    "安信", "华安", "中安", "盛安", "泰安", "永安", "恒安", "宏盾", "鼎盾", "威盾",
    "保华", "明安", "信安", "瑞安", "祥安", "嘉安", "康安", "宁安", "福安", "兴安",
    "利安", "昌安", "正安", "宏安", "金鼎", "卫民", "安泰", "安和",
]  # fmt: skip
KINDS = ["职业技能培训学校", "保安培训中心", "职业培训学校"]
# Serials of the USCCs after those of ``filings.demo.review``'s fillers (1-8).
FIRST_SERIAL = 101
QUEUE_LENGTH = len(WORDS) * len(CITIES)  # 56: with the demo's other five, 61 waiting, two pages of 50


def queue_organisations() -> QuerySet[Organisation]:
    """The agencies ``seed_queue`` makes, found by name as it finds them."""
    names = [
        f"{region.name}{word}{KINDS[index % len(KINDS)]}"
        for region in Region.objects.filter(code__in=CITIES)
        for index, word in enumerate(WORDS)
    ]
    return Organisation.objects.filter(name__in=names)


@transaction.atomic
def seed_queue() -> None:
    call = Call.objects.filter(code="gx-security-manager-2026").first()
    if call is None:
        return
    serial = FIRST_SERIAL
    for city_code, city_username in CITIES.items():
        region = Region.objects.get(code=city_code)
        city = User.objects.get(username=city_username)
        for index, word in enumerate(WORDS):
            serial += 1
            organisation, agency = filler_agency(
                region,
                serial,
                name=f"{region.name}{word}{KINDS[index % len(KINDS)]}",
                username=f"agency_{city_code}_q{index + 1}",
                representative=f"{word[0]}志明",
                contact=f"{word[1]}丽萍",
                address=f"{region.name}友爱路{index + 1}号",
                phone=demo_landline(region, "56", serial),
            )
            if Application.objects.filter(organisation=organisation).exists():
                continue
            application = _submitted(organisation, call, agency)
            application_transition(
                application=application, by=city, name="recommend", text="经审核，材料齐全，同意推荐。"
            )
