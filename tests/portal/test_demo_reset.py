"""`manage.py seed_demo --reset`: a demo whose rows users changed is brought back to the state the README
describes, and nothing outside the demo is touched. A plain rerun leaves the demo as it finds it."""

from __future__ import annotations

import io
import re
from collections import Counter

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from agencies.models import DirectoryEntry, Occupation
from agencies.services import directory_enter
from certificates.models import Certificate, Session
from certificates.services import certificate_revoke
from filings.models import Application
from portal.models import AuditEvent, Notification, Role, User
from portal.services import notify
from publicity.models import Notice
from reports.models import Report
from supervision.models import Complaint, Draw, Plan
from supervision.services import plan_withdraw
from tests.agencies.factories import OrganisationFactory
from tests.conftest import seed_demo
from tests.portal.factories import UserFactory, region

WEIAN = "广西卫安保安服务有限公司"


# What the demo makes about its agencies, and its notices, draw, reports and messages.
DEMO_MADE = (Application, DirectoryEntry, Plan, Complaint, Session, Certificate, Notice, Draw, Report, Notification)


def run_seed_demo(*args: str) -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo", *args, stdout=io.StringIO())


def demo_state() -> dict:
    """What the README's demo shows, as rows: compared before and after a reset."""
    return {
        "applications": sorted(Application.objects.values_list("organisation__name", "state")),
        "directory": sorted(DirectoryEntry.objects.values_list("organisation__name", "status")),
        "plans": sorted(Plan.objects.values_list("entry__organisation__name", "venue", "status")),
        "complaints": sorted(Complaint.objects.values_list("entry__organisation__name", "status")),
        "sessions": sorted(Session.objects.values_list("plan__venue", "status")),
        # A number carries the agency's directory id while its code is provisional: a new entry, a new number.
        "certificates": sorted(
            (n[13:], holder, status)
            for n, holder, status in Certificate.objects.values_list("number", "holder_name", "status")
        ),
        "notices": sorted(Notice.objects.values_list("title", "status")),
        "draws": sorted(Draw.objects.values_list("title", "status")),
        "reports": sorted(Report.objects.values_list("region__name", "year", "quarter", "status")),
        # A complaint's to-do names it by its number, which a reset makes anew with its row.
        "inbox": Counter(
            (user, re.sub(r"收到投诉\d+", "收到投诉#", subject))
            for user, subject in Notification.objects.values_list("recipient__username", "subject")
        ),
    }


def readme_facts() -> None:
    """The README's demo table, where the tester's changes below would show."""
    weian_plans = Plan.objects.filter(entry__organisation__name=WEIAN)
    assert weian_plans.filter(venue=f"{WEIAN}标准化考场", status=Plan.Status.ANNOUNCED).exists()
    assert not weian_plans.filter(status=Plan.Status.WITHDRAWN).exists()
    assert weian_plans.filter(city__name="柳州市", status=Plan.Status.AWAITING_CONSENT).count() == 1
    lu = Certificate.objects.filter(holder_name="陆海涛", entry__organisation__name=WEIAN)
    assert lu.count() == 2 and not lu.exclude(status=Certificate.Status.VALID).exists()
    assert DirectoryEntry.objects.get(organisation__name="南宁市邕城职业技能培训学校").status == "suspended"
    assert Complaint.objects.filter(department__name="南宁市人力资源和社会保障局").count() == 31


def outsider_rows() -> dict:
    """An agency that is not the demo's, filed in 南宁 by the demo's centre, with an account and a message."""
    organisation = OrganisationFactory(name="南宁市外来职业技能培训学校", uscc="52450100MJX0000001")
    entry = directory_enter(
        organisation=organisation,
        region=region("450100"),
        scope="city",
        institution_code="S45202699999",
        code_provisional=True,
        approvals=[(Occupation.objects.get(code="3-02-02-00").pk, 3)],
        by=User.objects.get(username="centre"),
    )
    clerk = UserFactory(username="outsider_clerk", role=Role.AGENCY, organisation=organisation)
    notify(users=[clerk], subject="外来机构的消息", body="正文", link="")
    return {"entry": entry, "clerk": clerk}


def test_a_reset_brings_a_changed_demo_back_and_leaves_the_rest(db):
    seed_demo(fresh=True)
    seeded = demo_state()
    readme_facts()
    made = {model: set(model.objects.values_list("pk", flat=True)) for model in DEMO_MADE}
    outsider = outsider_rows()
    audit_rows = AuditEvent.objects.count()

    # A tester's day: a plan withdrawn, a certificate revoked.
    plan = Plan.objects.get(venue=f"{WEIAN}标准化考场")
    plan_withdraw(plan=plan, by=User.objects.get(username="agency_weian"))
    certificate = Certificate.objects.filter(holder_name="陆海涛", entry__organisation__name=WEIAN).first()
    certificate_revoke(certificate=certificate, by=User.objects.get(username="agency_weian"), reason="测试撤销")

    run_seed_demo()  # a plain rerun keeps what it finds
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.WITHDRAWN
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.REVOKED

    run_seed_demo("--reset")
    connection.check_constraints()  # no row left pointing at a deleted one
    # Every row the first seed made was deleted and made again (a seeder that makes an organisation and does not
    # name it in its ``demo_organisations`` fails here).
    for model, pks in made.items():
        assert not model.objects.filter(pk__in=pks).exists(), model
    readme_facts()
    state = demo_state()
    # The outsider's entry is still there, beside the demo's; its clerk keeps their message.
    assert ("南宁市外来职业技能培训学校", "active") in state["directory"]
    state["directory"].remove(("南宁市外来职业技能培训学校", "active"))
    assert state["inbox"].pop(("outsider_clerk", "外来机构的消息")) == 1
    # The demo's random draw is over every active agency of Guangxi: with the outsider in the pool it may pick
    # other agencies than on the first seed, and tell other departments.
    for inbox in (state["inbox"], seeded["inbox"]):
        for key in [key for key in inbox if key[1].startswith("双随机抽查")]:
            del inbox[key]
    for key in seeded:
        assert state[key] == seeded[key], key
    assert DirectoryEntry.objects.filter(pk=outsider["entry"].pk).exists()
    assert User.objects.filter(pk=outsider["clerk"].pk).exists()
    # The audit log keeps what happened, the withdrawal and the revocation included.
    assert AuditEvent.objects.count() > audit_rows
    assert AuditEvent.objects.filter(action="certificate_revoke").exists()
