"""Demo reports: for 南宁, last quarter's report submitted with its free text and this quarter's generated; for
柳州 and 西安, last quarter's generated and waiting for the text. Accounts are the existing departments'."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from portal.models import User
from reports.models import Report
from reports.periods import Period
from reports.services import report_compute, report_fill, report_submit

EXPERIENCE = "联合公安机关开展认定现场双随机检查，考务管理规范，考评人员持证上岗。"
DIFFICULTIES = "部分机构考评员数量不足，异地认定报备材料不够完整，需加强培训指导。"


def _previous(period: Period) -> Period:
    return Period(period.year, period.quarter - 1) if period.quarter > 1 else Period(period.year - 1, 4)


def _generated(user: User, period: Period) -> Report | None:
    region = user.jurisdiction
    report, created = Report.objects.get_or_create(
        region=region, year=period.year, quarter=period.quarter, defaults={"due_on": period.due()}
    )
    if created:
        report_compute(report_id=report.pk, user_id=user.pk)
        report.refresh_from_db()
    return report


CITIES = ("city_nanning", "city_liuzhou", "city_xian")


def demo_roots(organisations) -> list[QuerySet]:
    """The reports ``seed`` makes: last quarter's of the three cities, this quarter's of 南宁."""
    current = Period.quarter_of(timezone.localdate())
    last = _previous(current)
    regions = {user.username: user.jurisdiction for user in User.objects.filter(username__in=CITIES)}
    made = Report.objects.filter(region__in=[r for r in regions.values() if r], year=last.year, quarter=last.quarter)
    if regions.get("city_nanning"):
        made |= Report.objects.filter(region=regions["city_nanning"], year=current.year, quarter=current.quarter)
    return [made]


def seed() -> list[str]:
    current = Period.quarter_of(timezone.localdate())
    last = _previous(current)
    for username in CITIES:
        user = User.objects.filter(username=username).first()
        if user is None or user.jurisdiction is None:
            continue
        report = _generated(user, last)
        if username == "city_nanning" and report.status == Report.Status.DRAFT:
            report_fill(report=report, experience=EXPERIENCE, difficulties=DIFFICULTIES, by=user)
            report_submit(report=report, by=user)
            _generated(user, current)
    return []
