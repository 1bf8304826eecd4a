import factory

from portal.models import Department, Region, Role, User

PASSWORD = "Test-pass-2026"


def region(code: str) -> Region:
    """Regions come from the reference-data migration."""
    return Region.objects.get(code=code)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"部门{n}")
    kind = Department.Kind.HR_BUREAU
    region = factory.LazyFunction(lambda: region("450100"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.EXPERT
    last_name = "测"
    first_name = "试"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()
