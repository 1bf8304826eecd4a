import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from filings.models import Application
from portal.models import Notification, User
from tests.conftest import DEMO_ACCOUNTS, DEMO_TOTP_SECRETS, totp_code


@pytest.mark.parametrize(
    ("person", "sees", "does_not_see"),
    [
        ("agency_nanning", ["我的备案申请", "南宁市安盾职业技能培训学校"], ["审计日志", "辖区评价机构"]),
        (
            "city_nanning",
            ["待审核申请", "南宁市安盾职业技能培训学校"],
            ["柳州市护航保安职业培训中心", "审计日志"],
        ),
        ("centre", ["待我办理", "南宁市安盾职业技能培训学校", "柳州市护航保安职业培训中心"], ["审计日志"]),
        ("police_liuzhou", ["柳州市护航保安职业培训中心"], ["南宁市安盾职业技能培训学校", "审计日志"]),
        ("expert_assigned", ["分配给我的申请"], ["评价机构</a>", "审计日志"]),
        ("admin", ["审计日志", "2027 年的法定节假日安排尚未录入"], []),
    ],
)
def test_each_role_sees_its_own_home_page(person, sees, does_not_see, people, client_for):
    page = client_for(people.get(person)).get(reverse("home")).content.decode()
    for text in sees:
        assert text in page, text
    for text in does_not_see:
        assert text not in page, text


def test_english_is_available(people, client_for):
    client = client_for(people.centre)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home")).content.decode()
    assert "Waiting for me" in page
    assert "待我办理" not in page


@override_settings(DEBUG=True)
def test_seed_demo_can_run_twice_and_every_account_signs_in(db, client):
    call_command("seed_demo")
    counts = (User.objects.count(), Application.objects.count(), Notification.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Application.objects.count(), Notification.objects.count()) == counts
    _demo_codes_and_notices_follow_the_rules()
    _demo_data_reads_true()
    for user in User.objects.filter(username__in=DEMO_ACCOUNTS):
        response = client.post(reverse("login"), {"username": user.username, "password": "Portal-demo-2026"})
        assert response.status_code == 302, user.username
        if user.username in DEMO_TOTP_SECRETS:  # officials: the code of the README's secret
            response = client.post(reverse("second_step"), {"code": totp_code(user.username)})
            assert response.status_code == 302, user.username
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))


def _demo_data_reads_true() -> None:
    """First-day finding qa8b items 2, 5 and 7: a 柳州 agency's landline has 柳州's area code 0772 (0771 is
    南宁's); a provisional code is numbered by the rule, from 1 up with no gap of thousands, and the directory
    calls it provisional; the Guangxi call's extension is a dated line, not a remark in its notes; Shaanxi's
    province-wide scope reads 全省 and Guangxi's 全区."""
    from agencies.models import Call, DirectoryEntry, Organisation
    from filings.models import InstitutionCode

    for code, area in (("450100", "0771"), ("450200", "0772")):
        phones = list(Organisation.objects.filter(region__code=code).values_list("contact_phone", flat=True))
        assert phones
        landlines = [phone for phone in phones if phone.startswith("0")]
        assert [phone for phone in landlines if not phone.startswith(f"{area}-")] == [], code
    year = timezone.localdate().year
    provisional = set(InstitutionCode.objects.filter(provisional=True).values_list("code", flat=True))
    for entry in DirectoryEntry.objects.all():
        assert entry.code_provisional == (
            entry.institution_code in provisional or entry.name == "南宁市邕城职业技能培训学校"
        )
        if entry.code_provisional:
            assert int(entry.institution_code[-4:]) <= DirectoryEntry.objects.count(), entry.institution_code
    yongcheng = DirectoryEntry.objects.get(name="南宁市邕城职业技能培训学校")
    assert yongcheng.code_provisional and re.fullmatch(rf"S000045{year % 100:02d}00\d\d", yongcheng.institution_code)
    call = Call.objects.get(code="gx-security-manager-2026")
    assert "延长" not in call.current_version.notes
    assert call.first_published_at < call.current_version.published_at and len(call.deadline_changes) == 1
    with translation.override("zh-hans"):
        scopes = {(e.region_code[:2], e.scope): e.get_scope_display() for e in DirectoryEntry.objects.all()}
    assert scopes.get(("45", "region")) == "全区"
    assert all(label != "全省（区）" for label in scopes.values())


def _demo_codes_and_notices_follow_the_rules() -> None:
    """Every institution code of the demo has the one shape of a provisional code (the ministry's 13-character
    layout: S, 0000, the province's 2 digits, the year's 2, a 4-digit sequence: first-day finding qa5 item 4 found
    S4520269001 beside S45202600002; cert9 item 6 the certificates' agency segment unlike the receipt's), and every
    published notice's period holds exactly the working days it announces (item 2: "5 个工作日" over 6)."""
    from agencies.models import DirectoryEntry
    from portal.lib.workdays import workdays_between
    from publicity.models import Notice

    year = timezone.localdate().year
    codes = list(DirectoryEntry.objects.values_list("institution_code", flat=True))
    assert codes
    assert [code for code in codes if not re.fullmatch(rf"S0000(45|61){year % 100:02d}\d{{4}}", code)] == []
    notices = Notice.objects.exclude(opens_on=None)
    assert notices.exists()
    for notice in notices:
        held = workdays_between(notice.opens_on - dt.timedelta(days=1), notice.closes_on)
        assert held == notice.window_days, (notice.pk, notice.opens_on, notice.closes_on)


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(people, client_for):
    client = client_for(people.centre)
    page = client.get(reverse("home"), headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "待我办理" in page
