"""Demo participation for `manage.py load_demo_data`: applications in every state,
memberships with a realistic workload spread, proposals, supports and comments.

Runs after the marketplace loader and only once: a second run finds the
demo applications and leaves everything as it is.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Topic, User
from marketplace.models import Project, ProjectStatus, Role
from participation import services
from participation.demo_activities import load_activities
from participation.models import (
    ActionItem,
    Application,
    Proposal,
    Retrospective,
    TeamFeedback,
)
from participation.services import comments as comment_services
from participation.services import proposals as proposal_services
from participation.services.retrospectives import team_people

# The share of the week each employee aims for in projects, a few months into the
# 3/4 rule: most near the target, some still below, a few above it.
WORKLOAD_SHARES = [0.75, 0.8, 0.7, 0.9, 0.75, 0.6, 0.85, 0.75, 0.5, 0.8, 0.75, 0.65]
# These also took on one role too many: over their weekly hours, as happens when a
# contract is cut or a project runs late.
OVER_ALLOCATED = 3

PROPOSALS = [
    (
        "Sitzbänke mit Schatten an Bushaltestellen",
        "Im Sommer warten viele Menschen in der prallen Sonne.",
        "Eine Karte der Haltestellen ohne Schatten, gemeinsam mit Anwohnenden gepflegt.",
        "Ältere Menschen, Familien mit Kindern",
        "climate",
    ),
    (
        "Bürgeramtstermine per SMS erinnern",
        "Viele Termine verfallen, weil sie vergessen werden.",
        "Eine freiwillige Erinnerung per SMS oder E-Mail einen Tag vorher.",
        "Alle, die einen Termin brauchen",
        "citizen-services",
    ),
    (
        "Offene Daten zu Spielplätzen",
        "Es ist schwer herauszufinden, welche Spielplätze barrierefrei sind.",
        "Spielplatzdaten mit Ausstattung und Barrierefreiheit als Open Data.",
        "Eltern, Kinder mit Behinderungen",
        "open-government",
    ),
]


def _running_employee_roles():
    return list(
        Role.objects.open()
        .for_employees()
        .filter(project__status__in=[ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS])
        .select_related("project")
        .order_by("project__slug", "id")
    )


def _fill_workloads(employees, roles) -> None:
    """Give each employee roles, different projects each, until they near their share.

    Each person starts at another place in the list of roles, so teams mix.
    """
    free = {role.pk: role.seats - role.filled_seats for role in roles}
    for number, employee in enumerate(employees):
        target = round(employee.weekly_hours * WORKLOAD_SHARES[number % len(WORKLOAD_SHARES)])
        hours, projects = 0, set[int]()
        led = set(employee.led_projects.values_list("pk", flat=True))
        start = (number * 7) % len(roles)
        for role in roles[start:] + roles[:start]:
            if (
                free[role.pk] < 1
                or hours + role.hours_per_week > target
                or role.project_id in projects | led
            ):
                continue
            _join(employee, role)
            free[role.pk] -= 1
            hours += role.hours_per_week
            projects.add(role.project_id)


def _join(employee, role) -> None:
    application = services.claim_role(employee, role, confirmed=True)
    if application.is_pending:
        services.accept_application(role.project.leads.first(), application)


def _over_allocate(employees, roles) -> None:
    """One role more than the week holds; written directly, as the service refuses it."""
    for employee in employees:
        held = set(employee.memberships.values_list("project_id", flat=True))
        role = next(
            r
            for r in Role.objects.filter(pk__in=[r.pk for r in roles]).order_by(
                "-hours_per_week", "pk"
            )
            if r.project_id not in held and r.filled_seats < r.seats
        )
        Role.objects.filter(pk=role.pk).update(filled_seats=F("filled_seats") + 1)
        application = Application.objects.create(role=role, applicant=employee, status="accepted")
        role.memberships.create(
            project=role.project,
            person=employee,
            application=application,
            hours_per_week=role.hours_per_week,
        )


def _applications_in_every_state(lead_projects) -> None:
    citizens = list(User.objects.filter(kind__in=["citizen", "organisation"]).order_by("email"))
    public_roles = list(Role.objects.open().for_public().filter(project__in=lead_projects)[:4])
    for index, (citizen, role) in enumerate(zip(citizens, public_roles * 2, strict=False)):
        try:
            application = services.apply_for_public_role(citizen, role, "Ich helfe gern mit.")
        except services.ParticipationError:
            continue
        lead = role.project.leads.first()
        if index % 4 == 1:
            services.accept_application(lead, application)
        elif index % 4 == 2:
            services.decline_application(
                lead, application, "other", "Für diese Phase haben wir genug Tester*innen."
            )
        elif index % 4 == 3:
            services.withdraw_application(citizen, application)


# The comment each proposal gets, in German; one in English, so the demo shows content
# marked with its language.
GERMAN_COMMENT = ("Gute Idee, das würde vielen helfen!", "de")
ENGLISH_COMMENTS = {"open-government": ("Great idea – this would help many families.", "en")}


def _proposals() -> None:
    citizens = list(User.objects.filter(kind="citizen").order_by("email"))
    for title, problem, idea, beneficiaries, topic_slug in PROPOSALS:
        if Proposal.objects.filter(title=title).exists():
            continue
        author = citizens[len(title) % len(citizens)]
        proposal = proposal_services.submit_proposal(
            author,
            Proposal(
                title=title,
                problem=problem,
                idea=idea,
                beneficiaries=beneficiaries,
                topic=Topic.objects.get(slug=topic_slug),
            ),
        )
        for supporter in citizens:
            if supporter != author:
                proposal_services.support_proposal(supporter, proposal)
        body, language = ENGLISH_COMMENTS.get(topic_slug, GERMAN_COMMENT)
        comment_services.post_comment(
            citizens[0] if citizens[0] != author else citizens[1], proposal, body, language
        )


# (iteration, went well, to improve, action items)
RETROSPECTIVES = [
    (
        "Sprint 1",
        "Die Interviews mit Nutzenden haben uns viel gezeigt.\nDas Team hat sich schnell gefunden.",
        "Wir haben zu viele Themen gleichzeitig begonnen.",
        ["Höchstens zwei Themen gleichzeitig bearbeiten", "Interviewnotizen im Team-Wiki ablegen"],
    ),
    (
        "Sprint 2",
        "Der erste Prototyp stand nach einer Woche.",
        "Feedback aus den Fachabteilungen kam spät.",
        ["Fachabteilungen zum Review einladen", "Testtermine mit Bürger*innen planen"],
    ),
]


def _retrospectives() -> None:
    """Two retrospectives with action items for the demo lead's running projects, and feedback."""
    lead = User.objects.get(email="lead@example.org")
    projects = Project.objects.filter(
        leads=lead, status__in=[ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS]
    ).order_by("slug")[:3]
    for project in projects:
        if project.retrospectives.exists():
            continue
        people = list(team_people(project))
        for number, (iteration, went_well, to_improve, actions) in enumerate(RETROSPECTIVES):
            retrospective = Retrospective.objects.create(
                project=project,
                iteration=iteration,
                held_on=timezone.localdate() - datetime.timedelta(days=14 * (2 - number)),
                went_well=went_well,
                to_improve=to_improve,
            )
            for position, text in enumerate(actions):
                done = number == 0 and position == 0
                ActionItem.objects.create(
                    retrospective=retrospective,
                    text=text,
                    owner=people[(number + position) % len(people)],
                    is_done=done,
                    done_at=timezone.now() if done else None,
                )
        TeamFeedback.objects.create(
            project=project,
            text="Die Stand-ups sind hilfreich, aber oft zu lang. Können wir sie auf 15 Minuten begrenzen?",
        )


@transaction.atomic
def load_participation():
    _load_joining()
    _retrospectives()
    load_activities()


def _load_joining():
    if Application.objects.exists():
        return
    lead = User.objects.get(email="lead@example.org")
    roles = _running_employee_roles()
    employees = list(
        User.objects.employees()
        .exclude(email__in=["admin@example.org", "head@example.org", "staff@example.org"])
        .order_by("email")
    )
    _fill_workloads(employees, roles)
    busiest = sorted(employees, key=lambda e: -services.allocation(e)["share"])
    _over_allocate(busiest[:OVER_ALLOCATED], roles)
    _applications_in_every_state(Project.objects.filter(leads=lead))
    _proposals()
