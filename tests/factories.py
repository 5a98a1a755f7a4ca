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


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published (open) project led by an employee, with a department."""

    class Meta:
        model = "marketplace.Project"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt {n}")
    slug = factory.Sequence(lambda n: f"projekt-{n}")
    summary = "Ein Projekt für bessere digitale Dienste."
    description = "Wir bauen gemeinsam etwas Gutes."
    department = factory.SubFactory(DepartmentFactory)
    status = "open"
    phase = "understand"
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def leads(project, create, extracted, **kwargs):
        if not create:
            return
        project.leads.set(extracted if extracted is not None else [EmployeeFactory()])


class RoleFactory(factory.django.DjangoModelFactory):
    """An open employee role of 8 hours a week."""

    class Meta:
        model = "marketplace.Role"

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Rolle {n}")
    description = "Mitarbeit im Projektteam."
    seats = 1
    audience = "employees"
    hours_per_week = 8


class PublicRoleFactory(RoleFactory):
    audience = "public"
    hours_per_week = None
    public_kind = "feedback"
    seats = 20


# The smallest file each format starts with: enough for the checks, no real video needed.
WEBVTT_SAMPLE = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWillkommen beim Projektmarktplatz.\n"
MP4_SAMPLE = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4


class SignLanguageVideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "marketplace.SignLanguageVideo"

    title_de = factory.Sequence(lambda n: f"Der Projektmarktplatz in Gebärdensprache {n}")
    title_en = factory.Sequence(lambda n: f"The Projektmarktplatz in sign language {n}")
    video = factory.django.FileField(filename="willkommen.mp4", data=MP4_SAMPLE)
    captions = factory.django.FileField(filename="willkommen.vtt", data=WEBVTT_SAMPLE)
    transcript = "Willkommen beim Projektmarktplatz.\n\nHier sehen Sie alle Projekte."
    is_published = True
