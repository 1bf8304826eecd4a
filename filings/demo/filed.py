"""Demo of an agency that has gone the whole way, for `manage.py seed_demo`: selected, on a notice whose
window has passed without objection, reported to the ministry, approved with an institution code, filed, in
the public directory, with its filing receipt.

Everything moves through the services; only the notice's dates are set in the past, as if it had been
published two weeks ago. Idempotent: once the agency is filed nothing is done again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agencies.models import Call
from filings.models import Application, State
from filings.services import (
    ministry_report,
    ministry_result,
    selection_mark,
    selection_notice_create,
)
from portal.lib.workdays import window_end
from portal.models import User
from publicity.models import Notice
from publicity.services import notice_close, notice_publish

CALL_CODE = "gx-security-manager-2026"
AGENCY = "柳州市神盾职业技能培训学校"  # assessed by filings.demo.review
NOTICE_TITLE = "关于柳州市神盾职业技能培训学校等评价机构遴选结果的公示"


@transaction.atomic
def seed_filed() -> None:
    call = Call.objects.filter(code=CALL_CODE).first()
    application = Application.objects.filter(organisation__name=AGENCY, call=call).first()
    if call is None or application is None or application.state != State.ASSESSED:
        return
    centre = User.objects.get(username="centre")
    file_through_notice(
        application,
        call=call,
        centre=centre,
        reason="技术评估结论为通过，柳州市布局需要，予以遴选。",
        title=NOTICE_TITLE,
        published_days_ago=14,
    )


def file_through_notice(
    application: Application, *, call: Call, centre: User, reason: str, title: str, published_days_ago: int
) -> Application:
    """An assessed application selected, on its own notice as if published ``published_days_ago`` days ago (so
    its objection window has passed), the notice closed, reported to the ministry and approved: filed."""
    application = selection_mark(application=application, by=centre, selected=True, reason=reason)
    notice = selection_notice_create(
        call=call,
        by=centre,
        title=title,
        body="经审核推荐、受理、专家技术评估和择优遴选，拟将下列机构纳入备案范围，现予以公示。",
        window_days=5,
        applications=[application],
    )
    notice = notice_publish(notice=notice, by=centre)
    today = timezone.localdate()
    opened = today - dt.timedelta(days=published_days_ago)
    Notice.objects.filter(pk=notice.pk).update(
        opens_on=opened,
        closes_on=window_end(opened, notice.window_days),
        published_at=timezone.now() - dt.timedelta(days=published_days_ago),
    )
    notice.refresh_from_db()
    notice_close(notice=notice, by=centre)
    application.refresh_from_db()
    ministry_report(application=application, by=centre, reported_on=today - dt.timedelta(days=3))
    application.refresh_from_db()
    ministry_result(application=application, by=centre, approved=True, result_on=today, note="", code="")
    application.refresh_from_db()
    return application
