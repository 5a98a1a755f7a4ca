import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Department, Skill, Topic, User

PASSWORD = "correct horse battery staple"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name_de = factory.Sequence(lambda n: f"Fähigkeit {n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_de = factory.Sequence(lambda n: f"Thema {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Referat {n}")
    code = factory.Sequence(lambda n: f"REF-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A citizen with a verified email address, able to sign in with ``PASSWORD``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    kind = User.Kind.CITIZEN
    offers_feedback = True
    privacy_consent_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "2026-11"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        user.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class CitizenFactory(UserFactory):
    pass


class OrganisationFactory(UserFactory):
    kind = User.Kind.ORGANISATION
    organisation_name = factory.Sequence(lambda n: f"Organisation {n} GmbH")
    organisation_type = User.OrganisationType.COMPANY


class EmployeeFactory(UserFactory):
    kind = User.Kind.EMPLOYEE
    department = factory.SubFactory(DepartmentFactory)
    weekly_hours = 40
    offers_feedback = False
    privacy_consent_at = None
    privacy_notice_version = ""


class AdminFactory(EmployeeFactory):
    is_staff = True
    is_superuser = True
