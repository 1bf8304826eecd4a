import datetime as dt

import factory
from django.utils import timezone

from agencies.models import Call, CallVersion, ConditionProfile, Occupation, Workflow
from filings.models import ExpertProfile
from portal.models import Role
from tests.portal.factories import UserFactory, region

SECURITY_MANAGER = "3-02-02-00"

GX_MATERIALS = [
    {
        "code": "legal_registration",
        "label": "法人登记证书复印件或统一社会信用代码",
        "required": True,
        "when": "",
    },
    {"code": "work_plan", "label": "职业技能等级认定工作方案及质量管控措施", "required": True, "when": ""},
    {"code": "credit_report", "label": "信用报告", "required": True, "when": ""},
    {"code": "lease_contract", "label": "场地租赁协议或合同", "required": True, "when": "leased"},
    {"code": "external_agreements", "label": "外聘人员协议", "required": True, "when": "external_staff"},
]


def make_call(
    code: str = "test-gx",
    *,
    province: str = "450000",
    workflow: str = Workflow.CITY_FIRST,
    scopes=("region", "city"),
    offerings=None,
    profile: str = "guangxi-security-manager",
    materials=None,
    open_: bool = True,
) -> Call:
    today = timezone.localdate()
    call = Call.objects.create(code=code, province=region(province))
    rules = ConditionProfile.objects.get(code=profile).rules if profile else []
    CallVersion.objects.create(
        call=call,
        number=1,
        title="保卫管理员职业技能等级认定评价机构征集",
        issuer="人力资源和社会保障厅 公安厅",
        workflow=workflow,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30 if open_ else -1),
        scopes=list(scopes),
        offerings=offerings or [{"occupation": "3-02-02-00", "levels": [3, 2, 1]}],
        materials=GX_MATERIALS if materials is None else materials,
        rules=rules,
        published_at=timezone.now(),
    )
    return call


def nanning_submission(people):
    """南宁's application, submitted once (version 1, with its materials); made on first use in a test."""
    from filings.examples import sample_application_data, sample_pdf
    from filings.models import Application
    from filings.services import (
        application_create,
        application_save_draft,
        application_submit,
        attachment_add,
    )

    existing = Application.objects.filter(organisation=people.org_nanning).exclude(reference=None).first()
    if existing:
        return existing
    agency = people.agency_nanning
    application = application_create(organisation=people.org_nanning, call=make_call("matrix-gx"), by=agency)
    occupations = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
    application_save_draft(
        application=application,
        data=sample_application_data(people.org_nanning, occupations=occupations),
        by=agency,
    )
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    application_submit(application=application, by=agency, commitment_name="张三", consent=True)
    application.refresh_from_db()
    return application


def bulk_applications(count: int, *, organisation, call, state="city_review", deadline=None, by) -> None:
    """Many submitted applications at once, straight into the table (for queue sizes, not for behaviour)."""
    from filings.models import Application

    version = call.current_version
    start = Application.objects.count()
    Application.objects.bulk_create(
        Application(
            organisation=organisation,
            region=organisation.region,
            call=call,
            call_version=version,
            reference=f"BULK{start + index:08d}",
            state=state,
            created_by=by,
            submitted_at=timezone.now(),
            deadline=deadline,
        )
        for index in range(count)
    )


def directory_entry(
    organisation,
    *,
    approvals=(("3-02-02-00", (3, 2, 1)),),
    status: str = "active",
    scope: str = "region",
    filed_on: dt.date | None = None,
    status_changed_on: dt.date | None = None,
    institution_code: str | None = None,
    history=(),
):
    """A filed agency in the public directory, written straight into the tables (the filing services make the
    real ones): ``approvals`` are (occupation code, levels) pairs, ``history`` (status, date, reason) triples."""
    from agencies.models import DirectoryEntry, DirectoryOccupation, DirectoryStatusChange, Occupation
    from filings.models import Application, State
    from portal.models import Role
    from tests.portal.factories import UserFactory

    call = Call.objects.filter(code="directory-gx").first() or make_call("directory-gx")
    filed_on = filed_on or dt.date(2024, 6, 3)
    application = Application.objects.create(
        organisation=organisation,
        region=organisation.region,
        call=call,
        call_version=call.current_version,
        reference=f"GX-DIR-{organisation.pk:06d}",
        state=State.FILED,
        scope=scope,
        created_by=UserFactory(username="directory-clerk", role=Role.CENTRE),
        submitted_at=timezone.now(),
    )
    entry = DirectoryEntry.objects.create(
        organisation=organisation,
        region=organisation.region,
        scope=scope,
        institution_code=institution_code or f"Y{organisation.region.code}{organisation.pk:05d}",
        status=status,
        filed_on=filed_on,
        status_changed_on=status_changed_on or filed_on,
    )
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=[code for code, _levels in approvals])}
    DirectoryOccupation.objects.bulk_create(
        DirectoryOccupation(entry=entry, occupation=occupations[code], level=level)
        for code, levels in approvals
        for level in levels
    )
    Application.objects.filter(pk=application.pk).update(directory_entry=entry)
    for change_status, date, reason in history:
        DirectoryStatusChange.objects.create(entry=entry, status=change_status, changed_on=date, reason=reason)
    return entry


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    """An expert's place in a province's pool (Guangxi's unless told), for the security-manager occupation."""

    class Meta:
        model = ExpertProfile
        django_get_or_create = ["user"]
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.EXPERT)
    specialty = "治安保卫管理"
    employer_name = "广西警察学院"
    province = factory.LazyFunction(lambda: region("450000"))

    @factory.post_generation
    def occupations(obj, create, extracted, **kwargs):
        if create:
            obj.occupations.set(Occupation.objects.filter(code__in=extracted or [SECURITY_MANAGER]))


class ExpertFactory(UserFactory):
    """An assessment expert as the portal has them: a user of the expert role with a profile in the pool.
    ``ExpertFactory(expert_profile__province=region("610000"))`` puts them in another province's pool."""

    role = Role.EXPERT
    expert_profile = factory.RelatedFactory(ExpertProfileFactory, factory_related_name="user")
