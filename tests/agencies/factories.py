import datetime as dt

import factory
from django.utils import timezone

from agencies.models import Call, CallVersion, Organisation, Scope, Workflow
from tests.portal.factories import region


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["uscc"]

    name = factory.Sequence(lambda n: f"测试职业培训学校{n}")
    uscc = factory.Sequence(lambda n: f"5245010000000{n:05d}")
    region = factory.LazyFunction(lambda: region("450100"))
    nature = Organisation.Nature.PRIVATE_NON_ENTERPRISE
    legal_representative = "张三"
    contact_name = "李四"
    contact_phone = "0771-5551234"


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"test-call-{n}")
    province = factory.LazyFunction(lambda: region("450000"))


class CallVersionFactory(factory.django.DjangoModelFactory):
    """A published version, open today, of a Guangxi security-manager call."""

    class Meta:
        model = CallVersion
        django_get_or_create = ["call", "number"]

    call = factory.SubFactory(CallFactory)
    number = 1
    title = "广西保卫管理员职业技能等级认定评价机构征集"
    issuer = "广西壮族自治区人力资源和社会保障厅 广西壮族自治区公安厅"
    workflow = Workflow.CITY_FIRST
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    scopes = factory.LazyFunction(lambda: [Scope.REGION, Scope.CITY])
    offerings = factory.LazyFunction(lambda: [{"occupation": "3-02-02-00", "levels": [3, 2, 1]}])
    materials = factory.LazyFunction(
        lambda: [{"code": "credit_report", "label": "信用报告", "required": True, "when": ""}]
    )
    published_at = factory.LazyFunction(timezone.now)


def gx_call() -> Call:
    """The published Guangxi call the role matrix and the call tests share (created on first use)."""
    return CallVersionFactory(call=CallFactory(code="gx-security-manager-test")).call
