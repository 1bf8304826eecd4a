import factory

from agencies.models import Organisation
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
