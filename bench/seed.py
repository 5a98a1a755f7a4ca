"""The benchmark data set: 100,000 projects and everything around them, in one transaction.

Every row is marked: slugs and codes start with ``bench-`` / ``BENCH-``, email addresses
end in ``@bench.invalid``. The whole set is written in one transaction, so it is either
complete or absent: a second run with the same size finds it and does nothing.

Rows go in by COPY (see ``bench.bulk``) with ids reserved up front; the search vectors are
filled afterwards by the portal's own ``refresh_search_vectors``, one UPDATE for all.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Department, Skill, Topic, User
from bench import vocabulary as words
from bench.bulk import Table, reserve_ids
from marketplace.models import Phase, Project, ProjectStatus, ProjectUpdate, Role
from marketplace.services import refresh_search_vectors
from participation import support_counts
from participation.models import Comment, Membership, Proposal, ProposalStatus, ProposalSupport

MARK = "bench-"
EMAIL_DOMAIN = "bench.invalid"
# The project of scenario 6: in progress, public, with a team and a discussion.
SHOWCASE_SLUG = f"{MARK}000000"
SHOWCASE_TEAM = 10
SHOWCASE_COMMENTS = 30
SHOWCASE_UPDATES = 12
UNUSABLE_PASSWORD = "!bench"  # a leading "!" is Django's mark for "no password"
FULL_SIZE = 100_000

S = ProjectStatus
STATUS_WEIGHTS = {
    S.DRAFT: 5,
    S.OPEN: 35,
    S.IN_PROGRESS: 30,
    S.PAUSED: 5,
    S.COMPLETED: 20,
    S.CANCELLED: 5,
}
STATUSES, WEIGHTS = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
# The statuses a project passes on its way to each status, for the timestamps.
STATUS_PATHS = {
    S.DRAFT: [],
    S.OPEN: [S.OPEN],
    S.IN_PROGRESS: [S.OPEN, S.IN_PROGRESS],
    S.PAUSED: [S.OPEN, S.IN_PROGRESS, S.PAUSED],
    S.COMPLETED: [S.OPEN, S.IN_PROGRESS, S.COMPLETED],
    S.CANCELLED: [S.CANCELLED],
}
TEAM_STATUSES = {S.OPEN, S.IN_PROGRESS, S.PAUSED}
HOURS = [2, 4, 4, 6, 6, 8, 8, 10, 12]  # averages ~6: five memberships ≈ three quarters of 40 h


@dataclass(frozen=True)
class Sizes:
    """How many of each; everything scales with the number of projects (issue 9's ratios)."""

    projects: int
    roles: int
    departments: int
    employees: int
    memberships: int
    citizens: int
    proposals: int
    supports: int
    comments: int

    @classmethod
    def for_projects(cls, projects: int) -> "Sizes":
        ratio = projects / FULL_SIZE

        def scaled(full: int, minimum: int) -> int:
            return max(minimum, round(full * ratio))

        return cls(
            projects=projects,
            roles=3 * projects,
            departments=scaled(60, 6),
            employees=scaled(10_000, 20),
            memberships=scaled(50_000, SHOWCASE_TEAM + 10),
            citizens=scaled(100_000, 30),
            proposals=scaled(20_000, 25),
            supports=scaled(100_000, 60),
            comments=scaled(200_000, SHOWCASE_COMMENTS + 30),
        )


class SeedError(Exception):
    pass


def bench_projects():
    return Project.objects.filter(slug__startswith=MARK)


def seed(projects: int, *, log=print) -> bool:
    """Write the data set for ``projects`` projects; False when it is already there."""
    if connection.vendor != "postgresql":
        raise SeedError("The benchmark needs PostgreSQL (set DATABASE_URL).")
    if Project.objects.exclude(slug__startswith=MARK).exists():
        raise SeedError(
            "The database holds projects the benchmark did not write; it seeds only a "
            "database of its own (DATABASE_URL=postgres://.../pm_bench)."
        )
    present = bench_projects().count()
    if present == projects:
        log(f"The bench data set of {projects:,} projects is already there; nothing to do.")
        return False
    if present:
        raise SeedError(
            f"The database holds a bench data set of {present:,} projects, not {projects:,}. "
            "Use a fresh database for another size (the set is written as a whole)."
        )
    sizes = Sizes.for_projects(projects)
    with transaction.atomic():
        Seeder(sizes, log).write()
        log("Filling the search vectors ...")
        refresh_search_vectors(bench_projects())
    log("Vacuuming and analysing ...")
    analyse()
    return True


def analyse() -> None:
    """Fresh planner statistics and visibility maps, as autovacuum would leave them."""
    models = [User, Department, Project, Role, Membership, Proposal, ProposalSupport, Comment]
    through = [Project.leads.through, Project.topics.through, Role.skills.through]
    with connection.cursor() as cursor:
        for model in models + through:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


class Seeder:
    """Builds the rows in memory, table by table, and copies them in."""

    def __init__(self, sizes: Sizes, log):
        self.sizes = sizes
        self.log = log
        self.random = random.Random(9)  # the same data set every time
        self.now = timezone.now()

    def write(self) -> None:
        self.topics = self._vocabulary(Topic, words.TOPICS)
        self.skills = self._vocabulary(Skill, words.SKILLS)
        self.skill_words = {
            skill.pk: f"{skill.name_de} {skill.name_en}"
            for skill in Skill.objects.filter(pk__in=self.skills)
        }
        self._departments()
        self._people()
        self._projects_and_roles()
        self._proposals()
        self._comments()
        self._updates()

    def _count(self, label: str, count: int) -> None:
        self.log(f"  {label:<22} {count:>9,}")

    # --- Vocabulary and organisation ---------------------------------------------

    def _vocabulary(self, model, entries) -> list[int]:
        rows = [
            model(slug=f"{MARK}{slug}", name_de=name_de, name_en=name_en)
            for slug, name_de, name_en in entries
        ]
        return [row.pk for row in model.objects.bulk_create(rows)]

    def _departments(self) -> None:
        count = self.sizes.departments
        tops = max(1, count // 10)
        divisions = max(tops, 3 * count // 10)
        first = reserve_ids(Department, count)
        rows, self.top_ids, self.division_ids, self.unit_ids = [], [], [], []
        for index in range(count):
            pk = first + index
            if index < tops:
                code, parent = f"BENCH-{index + 1}", None
                name = f"Senatsverwaltung für Digitales {index + 1}"
                self.top_ids.append(pk)
            elif index < tops + divisions:
                parent = self.top_ids[index % tops]
                code, name = f"BENCH-{parent - first + 1}-{index}", f"Abteilung {index}"
                self.division_ids.append(pk)
            else:
                parent = self.division_ids[index % len(self.division_ids)]
                code, name = f"BENCH-{parent - first + 1}-{index}", f"Referat {index}"
                self.unit_ids.append(pk)
            rows.append((pk, name, code, parent, True))
        Table(Department, ["id", "name", "code", "parent_id", "is_active"]).copy(rows)
        self.project_departments = self.division_ids + self.unit_ids
        self._count("departments", count)

    def _people(self) -> None:
        sizes = self.sizes
        first = reserve_ids(User, sizes.employees + sizes.citizens)
        self.employee_ids = list(range(first, first + sizes.employees))
        self.citizen_ids = list(
            range(first + sizes.employees, first + sizes.employees + sizes.citizens)
        )
        columns = [
            "id", "email", "password", "display_name", "kind", "department_id", "weekly_hours",
            "date_joined", "organisation_name", "organisation_type", "offers_ideas",
            "offers_feedback", "offers_testing", "privacy_consent_at", "privacy_notice_version",
        ]  # fmt: skip
        Table(User, columns).copy(
            [self._employee(index, pk) for index, pk in enumerate(self.employee_ids)]
            + [self._citizen(index, pk) for index, pk in enumerate(self.citizen_ids)]
        )
        self._count("employees", sizes.employees)
        self._count("citizens", sizes.citizens)

    def _name(self) -> str:
        return f"{self.random.choice(words.FIRST_NAMES)} {self.random.choice(words.LAST_NAMES)}"

    def _employee(self, index: int, pk: int) -> tuple:
        pick = self.random
        department = pick.choice(self.unit_ids if pick.random() < 0.9 else self.division_ids)
        hours = pick.choices([40, 30, 20], weights=[70, 15, 15])[0]
        joined = self.now - datetime.timedelta(days=pick.randrange(3650))
        email = f"employee-{index:06d}@{EMAIL_DOMAIN}"
        return (
            pk, email, UNUSABLE_PASSWORD, self._name(), User.Kind.EMPLOYEE, department, hours,
            joined, "", "", False, False, False, None, "",
        )  # fmt: skip

    def _citizen(self, index: int, pk: int) -> tuple:
        pick = self.random
        joined = self.now - datetime.timedelta(days=pick.randrange(1500))
        email = f"citizen-{index:06d}@{EMAIL_DOMAIN}"
        if pick.random() < 0.05:
            kind, name = User.Kind.ORGANISATION, ""
            organisation = f"{pick.choice(words.ORGANISATIONS)} {index}"
            organisation_type = pick.choice(User.OrganisationType.values)
        else:
            kind, name, organisation, organisation_type = User.Kind.CITIZEN, self._name(), "", ""
        return (
            pk, email, UNUSABLE_PASSWORD, name, kind, None, 40, joined, organisation,
            organisation_type, pick.random() < 0.5, pick.random() < 0.5, pick.random() < 0.3,
            joined, settings.PRIVACY_NOTICE_VERSION,
        )  # fmt: skip

    # --- Projects, roles, teams -------------------------------------------------

    def _projects_and_roles(self) -> None:
        sizes = self.sizes
        project_first = reserve_ids(Project, sizes.projects)
        role_first = reserve_ids(Role, sizes.roles)
        projects: list[dict] = []
        roles: list[dict] = []
        role_skills: list[tuple[int, int]] = []
        leads: list[tuple[int, int]] = []
        topics: list[tuple[int, int]] = []
        for index in range(sizes.projects):
            project = self._project(index, project_first + index)
            own_roles = self._roles(project, role_first + 3 * index)
            extra = []
            for role in own_roles:
                extra.append(role["row"][2])
                for skill in role["skills"]:
                    role_skills.append((role["row"][0], skill))
                    extra.append(self.skill_words[skill])
            project["row"].append(" ".join(extra))
            projects.append(project)
            roles.extend(own_roles)
            leads.extend((project["pk"], lead) for lead in project["leads"])
            topics.extend((project["pk"], topic) for topic in project["topics"])
        memberships = self._memberships(projects, roles)
        self._write_projects(projects, roles, role_skills, leads, topics)
        columns = ["project_id", "role_id", "person_id", "hours_per_week", "started_on"]
        self._count("memberships", Table(Membership, columns).copy(memberships))
        # Comments and proposals point at public, published projects only.
        self.commentable_ids = [
            p["pk"] for p in projects if p["status"] != S.DRAFT and not p["internal"]
        ]
        self.showcase_id = project_first

    def _project(self, index: int, pk: int) -> dict:
        pick = self.random
        showcase = index == 0
        status = S.IN_PROGRESS if showcase else pick.choices(STATUSES, WEIGHTS)[0]
        internal = not showcase and pick.random() < 0.05
        subject, target = pick.choice(words.SUBJECTS), pick.choice(words.OBJECTS)
        title = f"{subject} {target}"
        summary = (
            f"{title}: Wir {pick.choice(words.GOALS)}, gemeinsam mit {pick.choice(words.GROUPS)}."
        )
        description = "\n\n".join([summary, *pick.sample(words.SENTENCES, 4)])
        created = self.now - datetime.timedelta(days=pick.randrange(30, 1800))
        stamps = self._stamps(status, created)
        starts_on = (created + datetime.timedelta(days=14)).date()
        ends_on = starts_on + datetime.timedelta(days=pick.randrange(90, 720))
        lead_ids = pick.sample(self.employee_ids, 2 if pick.random() < 0.2 else 1)
        row = [
            pk, title, f"{MARK}{index:06d}", summary, description,
            pick.choice(self.project_departments), status,
            Phase.PROTOTYPE if showcase else pick.choice(Phase.values), starts_on, ends_on,
            internal, "Enthält interne Arbeitsabläufe der Verwaltung." if internal else "",
            not internal, lead_ids[0], created, *stamps, None,
        ]  # fmt: skip
        return {
            "pk": pk,
            "row": row,
            "status": status,
            "internal": internal,
            "showcase": showcase,
            "leads": lead_ids,
            "topics": pick.sample(self.topics, pick.randint(1, 2)),
            "created": created,
        }

    def _stamps(self, status, created) -> list:
        """published_at, started_at, paused_at, completed_at, cancelled_at."""
        reached = {}
        for step, passed in enumerate(STATUS_PATHS[status]):
            reached[passed] = created + datetime.timedelta(days=7 + 21 * step)
        order = [S.OPEN, S.IN_PROGRESS, S.PAUSED, S.COMPLETED, S.CANCELLED]
        return [reached.get(status_) for status_ in order]

    def _roles(self, project: dict, first_pk: int) -> list[dict]:
        pick = self.random
        is_open = project["status"] not in {S.COMPLETED, S.CANCELLED}
        created = project["created"]
        roles = []
        for offset, title in enumerate(pick.sample(words.EMPLOYEE_ROLES, 2)):
            seats = SHOWCASE_TEAM // 2 + 1 if project["showcase"] else pick.randint(1, 3)
            row = [
                first_pk + offset, project["pk"], title, f"{title} im Projekt.", seats, 0,
                is_open, Role.Audience.EMPLOYEES, pick.choice(HOURS), pick.random() < 0.5, "",
                created,
            ]  # fmt: skip
            roles.append({"row": row, "skills": pick.sample(self.skills, pick.randint(1, 2))})
        if project["internal"]:
            title, kind, audience, hours = "Fachberatung", "", str(Role.Audience.EMPLOYEES), 4
        else:
            (title, kind), audience, hours = pick.choice(words.PUBLIC_ROLES), "public", None
        row = [
            first_pk + 2, project["pk"], title, f"{title} im Projekt.", pick.randint(10, 40), 0,
            is_open, audience, hours, False, kind, created,
        ]  # fmt: skip
        roles.append({"row": row, "skills": []})
        return roles

    def _memberships(self, projects: list[dict], roles: list[dict]) -> list[tuple]:
        """One running membership per chosen employee role; the showcase gets a full team."""
        pick = self.random
        showcase = projects[0]["pk"]
        running = {p["pk"] for p in projects if p["status"] in TEAM_STATUSES} - {showcase}
        employee_roles = [
            role for role in roles if role["row"][7] == Role.Audience.EMPLOYEES and role["row"][6]
        ]
        team = [role for role in employee_roles if role["row"][1] == showcase]
        others = [role for role in employee_roles if role["row"][1] in running]
        pick.shuffle(others)
        chosen = [(role, 1) for role in others[: self.sizes.memberships - SHOWCASE_TEAM]]
        chosen += [(role, SHOWCASE_TEAM // len(team)) for role in team]
        rows: list[tuple] = []
        for role, count in chosen:
            role["row"][5] = count  # filled_seats
            people = pick.sample(self.employee_ids, count)
            started = (self.now - datetime.timedelta(days=pick.randrange(1, 400))).date()
            rows.extend(
                (role["row"][1], role["row"][0], person, role["row"][8], started)
                for person in people
            )
        return rows

    def _write_projects(self, projects, roles, role_skills, leads, topics) -> None:
        columns = [
            "id", "title", "slug", "summary", "description", "department_id", "status", "phase",
            "starts_on", "ends_on", "is_internal", "internal_reason", "open_for_participation",
            "created_by_id", "created_at", "published_at", "started_at", "paused_at",
            "completed_at", "cancelled_at", "phase_changed_at", "search_extra",
        ]  # fmt: skip
        self._count("projects", Table(Project, columns).copy(p["row"] for p in projects))
        columns = [
            "id", "project_id", "title", "description", "seats", "filled_seats", "is_open",
            "audience", "hours_per_week", "auto_accept", "public_kind", "created_at",
        ]  # fmt: skip
        self._count("roles", Table(Role, columns).copy(r["row"] for r in roles))
        for through, through_columns, through_rows, label in [
            (Role.skills.through, ["role_id", "skill_id"], role_skills, "role skills"),
            (Project.leads.through, ["project_id", "user_id"], leads, "project leads"),
            (Project.topics.through, ["project_id", "topic_id"], topics, "project topics"),
        ]:
            self._count(label, Table(through, through_columns).copy(through_rows))

    # --- The public: proposals, supports, comments --------------------------------

    def _proposals(self) -> None:
        pick, sizes = self.random, self.sizes
        first = reserve_ids(Proposal, sizes.proposals)
        self.proposal_ids = list(range(first, first + sizes.proposals))
        statuses = [
            ProposalStatus.SUBMITTED,
            ProposalStatus.IN_REVIEW,
            ProposalStatus.ACCEPTED,
            ProposalStatus.DECLINED,
        ]
        rows = []
        for pk in self.proposal_ids:
            status = pick.choices(statuses, weights=[40, 30, 10, 20])[0]
            created = self.now - datetime.timedelta(days=pick.randrange(1, 900))
            review = created + datetime.timedelta(days=5) if status != statuses[0] else None
            decided = created + datetime.timedelta(days=30) if status in statuses[2:] else None
            target = pick.choice(words.OBJECTS)
            rows.append(
                (
                    pk, f"{pick.choice(words.PROPOSAL_TITLES)} {target}",
                    f"Heute ist der Weg {target} mühsam.", pick.choice(words.SENTENCES),
                    pick.choice(words.GROUPS), pick.choice(self.topics),
                    pick.choice(self.citizen_ids), status, created, review, decided,
                )
            )  # fmt: skip
        columns = [
            "id", "title", "problem", "idea", "beneficiaries", "topic_id", "proposer_id",
            "status", "created_at", "review_started_at", "decided_at",
        ]  # fmt: skip
        self._count("proposals", Table(Proposal, columns).copy(rows))
        pairs = {
            (pick.choice(self.proposal_ids), pick.choice(self.citizen_ids))
            for _ in range(sizes.supports)
        }
        supports = [(proposal, person, self.now) for proposal, person in sorted(pairs)]
        columns = ["proposal_id", "supporter_id", "created_at"]
        self._count("supports", Table(ProposalSupport, columns).copy(supports))
        support_counts.recount_all()  # COPY sends no signals

    def _comments(self) -> None:
        pick = self.random
        authors = self.employee_ids + self.citizen_ids
        rows = []
        for index in range(self.sizes.comments):
            project = proposal = None
            if index < SHOWCASE_COMMENTS:
                project = self.showcase_id
            elif pick.random() < 0.75:
                project = pick.choice(self.commentable_ids)
            else:
                proposal = pick.choice(self.proposal_ids)
            written = self.now - datetime.timedelta(minutes=pick.randrange(1, 500_000))
            rows.append(
                (project, proposal, pick.choice(authors), pick.choice(words.COMMENTS), written)
            )
        columns = ["project_id", "proposal_id", "author_id", "body", "created_at"]
        self._count("comments", Table(Comment, columns).copy(rows))

    def _updates(self) -> None:
        """A timeline on the showcase project, so its page shows updates as well as a team."""
        updates = [
            ProjectUpdate(
                project_id=self.showcase_id,
                title=f"Sprint {number} abgeschlossen",
                text=self.random.choice(words.COMMENTS),
                created_at=self.now - datetime.timedelta(days=14 * number),
            )
            for number in range(1, SHOWCASE_UPDATES + 1)
        ]
        ProjectUpdate.objects.bulk_create(updates)
        self._count("updates", len(updates))
