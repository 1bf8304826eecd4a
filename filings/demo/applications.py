"""Demo applications for `manage.py seed_demo`: 南宁 has a submitted application, 柳州 a draft."""

from __future__ import annotations

from django.db import transaction

from agencies.models import Call, Organisation
from filings.examples import sample_application_data, sample_pdf
from filings.models import Application
from filings.services import application_create, application_save_draft, application_submit, attachment_add
from portal.lib.provinces import GUANGXI
from portal.models import Region, User


@transaction.atomic
def seed_applications() -> None:
    """南宁 has a submitted application to the Guangxi security-manager call, 柳州 a draft. Idempotent."""
    call = Call.objects.filter(code="gx-security-manager-2026").first()
    if call is None:
        return
    occupations = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
    nanning = Organisation.objects.get(uscc="52450100MJA7K3Q8X0")
    if not Application.objects.filter(organisation=nanning, call=call).exists():
        user = User.objects.get(username="agency_nanning")
        application = application_create(organisation=nanning, call=call, by=user)
        application_save_draft(
            application=application, data=sample_application_data(nanning, occupations=occupations), by=user
        )
        for material in application.call_version.materials:
            if material.get("required"):
                attachment_add(
                    application=application,
                    material=material["code"],
                    uploaded=sample_pdf(material["label"]),
                    by=user,
                )
        application_submit(application=application, by=user, commitment_name=nanning.legal_representative, consent=True)
    liuzhou = Organisation.objects.get(uscc="52450200MJB2R6T4WN")
    if not Application.objects.filter(organisation=liuzhou, call=call).exists():
        user = User.objects.get(username="agency_liuzhou")
        application = application_create(organisation=liuzhou, call=call, by=user)
        data = sample_application_data(liuzhou, occupations=occupations[:1], scope="city")
        data["basic"]["registration_authority"] = "柳州市民政局"
        data["basic"]["supervising_department"] = "柳州市人力资源和社会保障局"
        partial = {key: data[key] for key in ("basic", "occupations", "advantages", "managers")}
        partial["examiners"] = data["examiners"][:2]  # fewer than the call asks: the check shows it
        application_save_draft(application=application, data=partial, by=user)


# (username, specialty, occupation codes, employer)
EXPERT_PROFILES = [
    ("expert1", "治安保卫管理", ["3-02-02-00", "4-07-05-01"], "广西警察学院"),
    ("expert2", "安全防范技术", ["3-02-02-00"], "广西大学"),
    ("expert3", "企事业单位内部保卫", ["3-02-02-00"], "广西壮族自治区公安厅警务技能培训中心"),
    ("expert4", "职业技能评价与考务管理", ["3-02-02-00", "4-07-05-01"], "广西职业技术学院"),
    ("expert5", "应急处置与安全管理", ["3-02-02-00"], "南宁职业技术大学"),
]


@transaction.atomic
def seed_expert_profiles() -> None:
    """The demo experts' pool profiles (specialty, occupations, employer). Idempotent."""
    from agencies.models import Occupation
    from filings.models import ExpertProfile

    for username, specialty, codes, employer in EXPERT_PROFILES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        profile, _created = ExpertProfile.objects.update_or_create(
            user=user,
            defaults={
                "specialty": specialty,
                "employer_name": employer,
                "active": True,
                "province": Region.objects.get(code=GUANGXI),
            },
        )
        profile.occupations.set(Occupation.objects.filter(code__in=codes))
