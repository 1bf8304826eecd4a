"""Calls for applications: the centre drafts, publishes and versions them; others see what concerns them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from agencies.models import Call, CallVersion, ConditionProfile
from agencies.selectors import calls_visible_to, open_calls_for
from agencies.services import call_create, call_publish, call_version_save
from portal.models import AuditEvent, Department, Role
from tests.agencies.factories import CallFactory, CallVersionFactory, gx_call
from tests.conftest import seed_demo
from tests.portal.factories import DepartmentFactory, UserFactory, region


def form_data(**overrides) -> dict:
    """What the centre types into the call form: a Guangxi security-manager call."""
    data = {
        "code": "gx-security-manager-2027",
        "title": "广西保卫管理员职业技能等级认定评价机构征集",
        "issuer": "广西壮族自治区人力资源和社会保障厅 广西壮族自治区公安厅",
        "document_number": "",
        "workflow": "city_first",
        "opens_on": "2027-03-01",
        "closes_on": "2027-05-31",
        "scopes": ["region", "city"],
        "offerings-3-02-02-00": ["3", "2", "1"],
        "materials-TOTAL_FORMS": "3",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
        "materials-0-code": "credit_report",
        "materials-0-label": "信用报告",
        "materials-0-required": "on",
        "materials-0-when": "",
        "materials-1-code": "lease_contract",
        "materials-1-label": "场地租赁协议或合同",
        "materials-1-required": "on",
        "materials-1-when": "leased",
        "profile": str(ConditionProfile.objects.get(code="guangxi-security-manager").pk),
        "notes": "",
    }
    data.update(overrides)
    return data


def field_block(page: str, name: str) -> str:
    """The HTML crispy-forms draws for one field: its label, input and error messages."""
    start = page.index(f'id="div_id_{name}"')
    end = page.find('id="div_id_', start + 1)
    return page[start : end if end != -1 else len(page)]


def chinese(message: str, **params) -> str:
    with translation.override("zh-hans"):
        return escape(translation.gettext(message) % params)


@pytest.fixture
def shaanxi_centre(db):
    department = DepartmentFactory(
        name="陕西省职业技能鉴定中心", kind=Department.Kind.APPRAISAL_CENTRE, region=region("610000")
    )
    return UserFactory(username="centre_shaanxi", role=Role.CENTRE, department=department)


def test_the_centre_creates_publishes_and_versions_a_call(people, client_for):
    client = client_for(people.centre)
    response = client.post(reverse("agencies:call_create"), form_data())
    call = Call.objects.get(code="gx-security-manager-2027")
    assert response.status_code == 302
    v1 = call.versions.get()
    assert (v1.number, v1.published_at, v1.closes_on) == (1, None, dt.date(2027, 5, 31))
    assert v1.offerings == [{"occupation": "3-02-02-00", "levels": [3, 2, 1]}]
    assert v1.materials[1] == {
        "code": "lease_contract",
        "label": "场地租赁协议或合同",
        "required": True,
        "when": "leased",
    }
    assert v1.rules == ConditionProfile.objects.get(code="guangxi-security-manager").rules

    client.post(reverse("agencies:call_publish", args=[call.pk]))
    v1.refresh_from_db()
    assert v1.published_at is not None
    published_at = v1.published_at

    client.post(reverse("agencies:call_edit", args=[call.pk]), form_data(closes_on="2027-06-30"))
    v1.refresh_from_db()
    v2 = call.versions.get(number=2)
    assert v2.published_at is None and v2.closes_on == dt.date(2027, 6, 30)
    assert (v1.published_at, v1.closes_on) == (published_at, dt.date(2027, 5, 31))
    agency_page = client_for(people.agency_nanning).get(reverse("agencies:call_detail", args=[call.pk]))
    assert "2027-05-31" in agency_page.content.decode()
    assert "2027-06-30" not in agency_page.content.decode()

    client = client_for(people.centre)
    client.post(reverse("agencies:call_publish", args=[call.pk]))
    call = Call.objects.get(pk=call.pk)
    assert call.current_version.number == 2
    page = client_for(people.agency_nanning).get(reverse("agencies:call_detail", args=[call.pk])).content.decode()
    assert "2027-06-30" in page
    actions = AuditEvent.objects.filter(object_type="agencies.CallVersion").values_list("action", flat=True)
    assert sorted(actions) == ["call_publish", "call_publish", "call_save", "call_save"]


def test_editing_a_draft_changes_it_in_place(people):
    call = call_create(by=people.centre, province=region("450000"), code="gx-draft", **_fields())
    version = call_version_save(call=call, by=people.centre, title="修订后的标题")
    assert call.versions.count() == 1
    assert (version.number, version.title, version.published_at) == (1, "修订后的标题", None)


def test_a_version_keeps_the_profile_rules_it_was_saved_with(people):
    profile = ConditionProfile.objects.get(code="guangxi-security-manager")
    call = call_create(by=people.centre, province=region("450000"), code="gx-rules", **_fields(profile=profile))
    rules = list(profile.rules)
    profile.rules = [{"kind": "history_years", "clause": "新条款", "source": "新", "params": {"min": 9}}]
    profile.save()
    assert call.versions.get().rules == rules


def test_publishing_twice_is_refused(people):
    call = call_create(by=people.centre, province=region("450000"), code="gx-twice", **_fields())
    call_publish(call=call, by=people.centre)
    with translation.override("en"), pytest.raises(ValidationError, match="no draft"):
        call_publish(call=call, by=people.centre)


def test_closing_before_opening_is_shown_beside_the_date_in_chinese(people, client_for):
    data = form_data(opens_on="2027-05-01", closes_on="2027-04-01", title="我输入的标题")
    page = client_for(people.centre).post(reverse("agencies:call_create"), data).content.decode()
    assert "截止日期不能早于开始日期（2027-05-01）。" in field_block(page, "closes_on")
    assert 'value="我输入的标题"' in page
    assert 'value="2027-05-01"' in page and 'value="2027-04-01"' in page
    assert 'value="场地租赁协议或合同"' in page
    assert not Call.objects.filter(code="gx-security-manager-2027").exists()


def test_a_level_the_occupation_does_not_certify_is_refused_and_kept_ticked(people, client_for):
    data = form_data(**{"offerings-3-02-02-00": ["4", "3"], "document_number": "桂人社函〔2027〕1号"})
    page = client_for(people.centre).post(reverse("agencies:call_create"), data).content.decode()
    errors = page[page.index('id="error_offerings"') :]
    assert "保卫管理员（3-02-02-00）不设四级/中级工，请只勾选该职业列出的等级。" in errors
    assert 'name="offerings-3-02-02-00" value="4" id="id_offerings_0_4" checked' in page
    assert 'name="offerings-3-02-02-00" value="3" id="id_offerings_0_3" checked' in page
    assert 'value="桂人社函〔2027〕1号"' in page


def test_a_call_needs_an_occupation_and_distinct_material_codes(people, client_for):
    data = form_data(
        **{"offerings-3-02-02-00": [], "materials-1-code": "credit_report", "materials-2-code": "Bad Code"}
    )
    data["materials-2-label"] = "其他"
    page = client_for(people.centre).post(reverse("agencies:call_create"), data).content.decode()
    assert chinese("Tick at least one level of at least one occupation.") in page
    assert (
        chinese("Use only lower-case letters, digits and underscores in a material code, such as credit_report.")
        in page
    )
    assert 'value="Bad Code"' in page
    data["materials-2-code"] = "other_material"
    page = client_for(people.centre).post(reverse("agencies:call_create"), data).content.decode()
    duplicate = chinese(
        "Another material in this list already uses the code %(code)s; each material needs its own code.",
        code="credit_report",
    )
    assert duplicate in page[page.index('id="id_materials-1-code"') : page.index('id="id_materials-2-code"')]


def test_a_city_bureau_sees_published_calls_but_cannot_manage_them(people, client_for):
    call = gx_call()
    draft = CallVersionFactory(call=CallFactory(code="gx-draft-only"), published_at=None).call
    client = client_for(people.city_liuzhou)
    assert client.get(reverse("agencies:call_detail", args=[call.pk])).status_code == 200
    assert client.get(reverse("agencies:call_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("agencies:call_edit", args=[call.pk])).status_code == 403
    assert client.post(reverse("agencies:call_publish", args=[draft.pk])).status_code == 403
    assert client.post(reverse("agencies:call_create"), form_data()).status_code == 403
    assert draft.versions.get().published_at is None


def test_another_provinces_centre_gets_404_for_guangxi_calls(people, shaanxi_centre, client_for):
    call = CallVersionFactory(call=CallFactory(code="gx-draft"), published_at=None).call
    client = client_for(shaanxi_centre)
    for name in ("agencies:call_detail", "agencies:call_edit"):
        assert client.get(reverse(name, args=[call.pk])).status_code == 404
    assert client.post(reverse("agencies:call_publish", args=[call.pk])).status_code == 404
    assert client.post(reverse("agencies:call_edit", args=[call.pk]), form_data()).status_code == 404
    assert call.versions.get().published_at is None
    assert "gx-draft" not in client.get(reverse("agencies:call_list")).content.decode()


def test_a_centre_creates_calls_only_in_its_own_province(people, shaanxi_centre, client_for):
    client_for(shaanxi_centre).post(reverse("agencies:call_create"), form_data(code="sx-own"))
    assert Call.objects.get(code="sx-own").province.code == "610000"
    with pytest.raises(PermissionDenied):
        call_create(by=shaanxi_centre, province=region("450000"), code="gx-foreign", **_fields())


def test_an_agency_sees_only_published_calls_of_its_province(people, client_for):
    published = gx_call()
    draft = CallVersionFactory(call=CallFactory(code="gx-draft"), title="尚未发布的征集", published_at=None).call
    shaanxi = CallVersionFactory(
        call=CallFactory(code="sx-call", province=region("610000")), title="陕西省保卫管理员征集"
    ).call
    assert set(calls_visible_to(people.agency_nanning)) == {published}
    client = client_for(people.agency_nanning)
    page = client.get(reverse("agencies:call_list")).content.decode()
    assert "广西保卫管理员职业技能等级认定评价机构征集" in page
    assert "尚未发布的征集" not in page and "陕西省保卫管理员征集" not in page
    for call in (draft, shaanxi):
        assert client.get(reverse("agencies:call_detail", args=[call.pk])).status_code == 404
    assert set(calls_visible_to(people.centre)) == {published, draft}
    assert set(calls_visible_to(people.admin)) == {published, draft, shaanxi}
    assert set(calls_visible_to(people.expert_assigned)) == set()


def test_open_calls_are_the_published_current_versions_open_today(people):
    today = timezone.localdate()
    open_call = gx_call()
    closed = CallVersionFactory(
        call=CallFactory(code="gx-2020"), opens_on=dt.date(2020, 9, 1), closes_on=dt.date(2020, 12, 31)
    ).call
    CallVersionFactory(call=CallFactory(code="sx-open", province=region("610000")))
    # Version 2 closed the call early; version 1, still open on paper, no longer counts.
    shortened = CallFactory(code="gx-shortened")
    CallVersionFactory(call=shortened, number=1)
    CallVersionFactory(call=shortened, number=2, closes_on=today - dt.timedelta(days=1))
    assert open_calls_for(people.org_nanning, today) == [open_call]
    assert closed not in open_calls_for(people.org_liuzhou, dt.date(2021, 1, 1))
    assert open_calls_for(people.org_liuzhou, dt.date(2020, 10, 1)) == [closed]


def test_the_demo_calls_can_be_seeded_again(db):
    seed_demo(fresh=True)
    seed_demo(fresh=True)
    assert Call.objects.count() == 3
    security = Call.objects.get(code="gx-security-manager-2026")
    assert [v.number for v in security.versions.all() if v.published_at] == [2, 1]
    assert security.current_version.is_open(timezone.localdate())
    pilot = Call.objects.get(code="gx-pilot-2020").current_version
    assert pilot.closes_on == dt.date(2020, 12, 31) and pilot.profile.code == "guangxi-2020-pilot"
    assert CallVersion.objects.get(call__code="sx-security-manager-2024").workflow == "police_first"


def test_the_navigation_offers_calls_to_the_roles_that_use_them(people, client_for):
    url = reverse("agencies:call_list")
    assert f'href="{url}"' in client_for(people.agency_liuzhou).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in client_for(people.expert_other).get(reverse("home")).content.decode()


def _fields(**overrides) -> dict:
    fields = {
        "title": "测试征集",
        "issuer": "广西壮族自治区人力资源和社会保障厅",
        "workflow": "city_first",
        "opens_on": dt.date(2027, 1, 1),
        "closes_on": dt.date(2027, 3, 31),
        "scopes": ["city"],
        "offerings": [{"occupation": "3-02-02-00", "levels": [3]}],
        "materials": [{"code": "credit_report", "label": "信用报告", "required": True, "when": ""}],
    }
    return {**fields, **overrides}


def test_the_admin_shows_a_published_version_locked_and_a_draft_editable(people, client_for):
    call = gx_call()
    CallVersionFactory(call=call, number=2, published_at=None, title="第二版草稿")
    page = client_for(people.admin).get(reverse("admin:agencies_call_change", args=[call.pk])).content.decode()
    # Newest first: row 0 is the draft (version 2), row 1 the published version 1.
    assert " disabled" in input_tag(page, "versions-1-title")
    assert " disabled" not in input_tag(page, "versions-0-title")


def input_tag(page: str, name: str) -> str:
    at = page.index(f'name="{name}"')
    return page[page.rindex("<input", 0, at) : page.index(">", at)]
