"""Demo projects for `manage.py load_demo_data`: believable Berlin work in every status and phase."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, Skill, Topic, User
from marketplace.models import (
    PHASE_ORDER,
    STATUS_TIMESTAMPS,
    Phase,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Role,
)
from marketplace.services import refresh_search_document

S, P = ProjectStatus, Phase

# (slug, title, summary, department code, status, phase, topic slugs)
PROJECTS = [
    (
        "e-akte-rollout",
        "E-Akte für alle Senatsverwaltungen",
        "Die elektronische Akte ersetzt Papierakten in allen Senatsverwaltungen; wir begleiten die Einführung nutzerzentriert.",
        "SenDig-I-A",
        S.IN_PROGRESS,
        P.IMPLEMENT,
        ["citizen-services"],
    ),
    (
        "online-wohnsitz",
        "Wohnsitz online anmelden",
        "Berlinerinnen und Berliner melden ihren Wohnsitz vollständig online an, ohne Termin im Bürgeramt.",
        "SenDig-I-A",
        S.OPEN,
        P.PROTOTYPE,
        ["citizen-services"],
    ),
    (
        "open-data-portal-2",
        "Open-Data-Portal 2.0",
        "Das Berliner Open-Data-Portal bekommt eine neue Suche, bessere Metadaten und eine offene Schnittstelle.",
        "SenDig-I-B",
        S.OPEN,
        P.IDEATE,
        ["open-government"],
    ),
    (
        "smart-city-sensoren",
        "Sensoren für Luftqualität im Kiez",
        "Günstige Sensoren messen Feinstaub und Stickoxide; die Daten sind offen für alle.",
        "SenDig-I-B",
        S.OPEN,
        P.OBSERVE,
        ["climate", "open-government"],
    ),
    (
        "schul-it-support",
        "IT-Support für Berliner Schulen",
        "Ein gemeinsamer Service-Desk für die IT an Schulen, mit klaren Zuständigkeiten und schneller Hilfe.",
        "SenDig-II-A",
        S.IN_PROGRESS,
        P.TEST,
        ["education"],
    ),
    (
        "ki-pilot-buergeranfragen",
        "KI-Pilot: Bürgeranfragen vorsortieren",
        "Ein transparenter KI-Pilot sortiert Bürgeranfragen vor; Menschen entscheiden, Datenschutz steht an erster Stelle.",
        "SenDig-I-C",
        S.OPEN,
        P.DEFINE,
        ["citizen-services"],
    ),
    (
        "barrierefreie-formulare",
        "Barrierefreie Online-Formulare",
        "Alle Online-Formulare des Landes werden nach BITV 2.0 geprüft und verbessert.",
        "SenDig-I-C",
        S.OPEN,
        P.UNDERSTAND,
        ["citizen-services", "participation"],
    ),
    (
        "klimaneutrale-rechenzentren",
        "Klimaneutrale Rechenzentren",
        "Die Rechenzentren des Landes sollen bis 2030 klimaneutral arbeiten: Abwärme nutzen, Strom sparen.",
        "SenDig-II-A",
        S.IN_PROGRESS,
        P.PROTOTYPE,
        ["climate"],
    ),
    (
        "leichte-sprache-portal",
        "Leichte Sprache im Service-Portal",
        "Die wichtigsten Leistungen des Service-Portals werden in Leichter Sprache erklärt.",
        "SenDig-I-C",
        S.OPEN,
        P.IDEATE,
        ["participation", "citizen-services"],
    ),
    (
        "digitale-kita-gutscheine",
        "Kita-Gutschein digital beantragen",
        "Eltern beantragen den Kita-Gutschein online und sehen jederzeit den Stand ihres Antrags.",
        "SenDig-I-A",
        S.PAUSED,
        P.TEST,
        ["education", "citizen-services"],
    ),
    (
        "verkehrsdaten-offen",
        "Echtzeit-Verkehrsdaten als Open Data",
        "Baustellen, Ampelphasen und Parkplätze als offene Echtzeitdaten für Apps und Forschung.",
        "SenDig-I-B",
        S.OPEN,
        P.DEFINE,
        ["mobility", "open-government"],
    ),
    (
        "radwege-meldeplattform",
        "Schäden an Radwegen melden",
        "Eine einfache Meldeplattform für Schlaglöcher und Scherben auf Radwegen, mit Rückmeldung an die Meldenden.",
        "SenDig-I-A",
        S.COMPLETED,
        P.IMPLEMENT,
        ["mobility", "participation"],
    ),
    (
        "it-sicherheit-bezirke",
        "IT-Sicherheitsberatung für Bezirke",
        "Ein Beratungsteam hilft den Bezirken, ihre IT-Sicherheit zu verbessern und Vorfälle zu üben.",
        "SenDig-II-B",
        S.IN_PROGRESS,
        P.IMPLEMENT,
        [],
    ),
    (
        "agile-fortbildung",
        "Agile Arbeit lernen",
        "Ein Fortbildungsprogramm für agile Methoden, Retrospektiven und Design Thinking in der Verwaltung.",
        "SenDig-III-A",
        S.OPEN,
        P.PROTOTYPE,
        ["participation"],
    ),
    (
        "beteiligungsplattform",
        "Beteiligung mit mein.berlin.de verzahnen",
        "Projekte des Marktplatzes werden mit Beteiligungsverfahren auf mein.berlin.de verbunden.",
        "SenDig-III-A",
        S.OPEN,
        P.OBSERVE,
        ["participation", "open-government"],
    ),
    (
        "gesundheitsamt-software",
        "Software für Gesundheitsämter",
        "Eine gemeinsame Fachsoftware für die zwölf Gesundheitsämter, entwickelt mit den Mitarbeitenden vor Ort.",
        "SenDig-II-A",
        S.IN_PROGRESS,
        P.TEST,
        ["health"],
    ),
    (
        "digitale-baugenehmigung",
        "Digitaler Bauantrag",
        "Bauanträge werden vollständig digital gestellt, geprüft und genehmigt.",
        "SenDig-I-A",
        S.OPEN,
        P.PROTOTYPE,
        ["citizen-services"],
    ),
    (
        "cloud-strategie",
        "Cloud-Strategie des Landes",
        "Welche Dienste gehören in welche Cloud? Eine souveräne Strategie mit klaren Kriterien.",
        "SenDig-II-A",
        S.PAUSED,
        P.DEFINE,
        [],
    ),
    (
        "opendata-schulen",
        "Offene Daten zu Schulplätzen",
        "Freie Schulplätze und Einzugsbereiche werden als offene Daten veröffentlicht.",
        "SenDig-I-B",
        S.CANCELLED,
        P.DEFINE,
        ["education", "open-government"],
    ),
    (
        "baumkataster-app",
        "Gieß den Kiez: Bäume gemeinsam gießen",
        "Eine App zeigt durstige Straßenbäume; Nachbarschaften übernehmen Gießpatenschaften.",
        "SenDig-I-B",
        S.OPEN,
        P.TEST,
        ["climate", "participation"],
    ),
    (
        "termin-buergeramt",
        "Termine im Bürgeramt fair vergeben",
        "Ein neues Terminsystem verhindert Terminhandel und verteilt freie Termine gerecht.",
        "SenDig-I-A",
        S.OPEN,
        P.UNDERSTAND,
        ["citizen-services"],
    ),
    (
        "datenschutz-assistent",
        "Datenschutz-Assistent für Projekte",
        "Ein geführter Assistent hilft Projektteams, Datenschutzfolgenabschätzungen früh zu erstellen.",
        "SenDig-II-B",
        S.DRAFT,
        P.UNDERSTAND,
        [],
    ),
    (
        "hitzeschutz-karte",
        "Hitzeschutz-Karte für Berlin",
        "Kühle Orte, Trinkbrunnen und schattige Wege auf einer barrierefreien Karte.",
        "SenDig-I-B",
        S.OPEN,
        P.IDEATE,
        ["climate", "health"],
    ),
    (
        "wlan-in-schulen",
        "WLAN in allen Schulgebäuden",
        "Jede Schule bekommt flächendeckendes WLAN; wir planen mit Schulen und Bezirken.",
        "SenDig-II-A",
        S.IN_PROGRESS,
        P.IMPLEMENT,
        ["education"],
    ),
    (
        "service-chatbot",
        "Service-Chat für das Bürgertelefon 115",
        "Ein Chat ergänzt das Bürgertelefon 115 und beantwortet einfache Fragen rund um die Uhr.",
        "SenDig-I-C",
        S.DRAFT,
        P.OBSERVE,
        ["citizen-services"],
    ),
    (
        "digitale-jugendbeteiligung",
        "Jugend beteiligt sich digital",
        "Jugendliche gestalten Angebote ihres Bezirks mit – online, mobil und verständlich.",
        "SenDig-III-A",
        S.OPEN,
        P.UNDERSTAND,
        ["participation", "education"],
    ),
    (
        "e-rechnung",
        "E-Rechnung für Lieferanten",
        "Unternehmen reichen Rechnungen elektronisch ein; die Verwaltung zahlt schneller.",
        "SenDig-I-A",
        S.COMPLETED,
        P.IMPLEMENT,
        [],
    ),
    (
        "nachhaltige-beschaffung",
        "Nachhaltige IT-Beschaffung",
        "Kriterien für langlebige, reparierbare und energiesparende IT in allen Ausschreibungen.",
        "SenDig-III",
        S.OPEN,
        P.DEFINE,
        ["climate"],
    ),
    (
        "barrierefreiheit-pruefteam",
        "Prüfteam Barrierefreiheit",
        "Ein festes Team prüft Websites und Apps des Landes mit Menschen mit Behinderungen.",
        "SenDig-I-C",
        S.IN_PROGRESS,
        P.TEST,
        ["participation"],
    ),
    (
        "interne-wissensplattform",
        "Wissensplattform der Verwaltung",
        "Ein internes Wiki, in dem Teams ihr Wissen teilen; nur für Beschäftigte.",
        "SenDig-III-A",
        S.OPEN,
        P.PROTOTYPE,
        [],
    ),
]

DESCRIPTION = """{summary}

Was wir vorhaben:
- mit den Menschen sprechen, die den Dienst nutzen
- Prototypen bauen und gemeinsam testen
- offen dokumentieren, was wir lernen

Mehr zum Vorgehen: https://www.berlin.de/sen/digitalisierung/"""

# English titles and summaries of a few projects, for English visitors (WCAG 3.1.2).
ENGLISH_TEXTS = {
    "e-akte-rollout": (
        "Electronic files for every Senate department",
        "Electronic files replace paper files in every Senate department; we accompany "
        "the rollout with the people who use them.",
    ),
    "online-wohnsitz": (
        "Register your address online",
        "Berliners register their address fully online, without an appointment at the "
        "citizens' office.",
    ),
}

# (title, hours a week, seats, skill slugs). Each project takes four different ones.
EMPLOYEE_ROLES = [
    ("Produktverantwortung", 16, 1, ["project-management"]),
    ("Nutzerforschung", 8, 2, ["ux-research", "interaction-design"]),
    ("Entwicklung", 20, 3, ["python", "cloud-operations"]),
    ("Datenanalyse", 12, 1, ["data-analysis", "open-data"]),
    ("Interaktionsdesign", 12, 2, ["interaction-design", "accessibility"]),
    ("Fachliche Beratung", 4, 3, ["procurement"]),
    ("Barrierefreiheit prüfen", 6, 1, ["accessibility"]),
    ("Datenschutz und IT-Sicherheit", 4, 1, ["data-protection", "it-security"]),
    ("Agiles Coaching", 8, 1, ["agile-coaching"]),
    ("Verständliche Texte", 6, 1, ["plain-language", "communication"]),
]
EMPLOYEE_ROLES_PER_PROJECT = 4
# (title, public kind, seats). Public projects take one or two different ones.
PUBLIC_ROLES = [
    ("Ideen aus dem Alltag", "ideas", 30),
    ("Feedback zu Entwürfen", "feedback", 40),
    ("Testen der Beta-Version", "testing", 25),
]


def _stamp_status(project: Project, status: str, when) -> None:
    """Set the timestamps a project collects on its way to ``status``."""
    paths: dict[str, list[str]] = {
        S.OPEN: [S.OPEN],
        S.IN_PROGRESS: [S.OPEN, S.IN_PROGRESS],
        S.PAUSED: [S.OPEN, S.PAUSED],
        S.COMPLETED: [S.OPEN, S.IN_PROGRESS, S.COMPLETED],
        S.CANCELLED: [S.CANCELLED],
    }
    path = paths.get(status, [])
    for step, reached in enumerate(path):
        setattr(project, STATUS_TIMESTAMPS[reached], when + datetime.timedelta(days=7 * step))


def _dates(index: int, status: str) -> tuple[datetime.date, datetime.date]:
    """Around today: begun in the past months, drafts still to come; only finished ones have ended."""
    today = timezone.localdate()
    if status == S.DRAFT:  # still being planned
        start = today + datetime.timedelta(days=21 + index)
        return start, start + datetime.timedelta(days=150)
    start = today - datetime.timedelta(days=240 - 7 * index)
    if status in {S.COMPLETED, S.CANCELLED}:
        return start, min(start + datetime.timedelta(days=120), today - datetime.timedelta(days=3))
    return start, today + datetime.timedelta(days=45 + 9 * index)


def _project(index, row, lead, employees):
    slug, title, summary, code, status, phase, topic_slugs = row
    start, end = _dates(index, status)
    internal = slug == "interne-wissensplattform"
    title_en, summary_en = ENGLISH_TEXTS.get(slug, ("", ""))
    project, _created = Project.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title,
            "summary": summary,
            "title_en": title_en,
            "summary_en": summary_en,
            "description": DESCRIPTION.format(summary=summary),
            "department": Department.objects.get(code=code),
            "status": status,
            "phase": phase,
            "starts_on": start,
            "ends_on": end,
            "is_internal": internal,
            "internal_reason": "Enthält interne Arbeitsabläufe der Verwaltung." if internal else "",
            "open_for_participation": not internal,
            "created_by": lead if index % 3 == 0 else employees[index % len(employees)],
        },
    )
    _stamp_status(project, status, timezone.now() - datetime.timedelta(days=60 - index))
    project.save()
    project.leads.set([lead] if index % 3 == 0 else [employees[index % len(employees)]])
    project.topics.set(Topic.objects.filter(slug__in=topic_slugs))
    return project


def role_plan(index: int) -> tuple[list, list]:
    """The employee and public role templates of the ``index``-th project, none twice.

    Steps of three through the ten employee roles never meet the same one within
    four (three and ten share no divisor), so every project gets four different roles.
    """
    employee = [
        EMPLOYEE_ROLES[(index + 3 * step) % len(EMPLOYEE_ROLES)]
        for step in range(EMPLOYEE_ROLES_PER_PROJECT)
    ]
    public = [PUBLIC_ROLES[index % 3]] + ([PUBLIC_ROLES[(index + 1) % 3]] if index % 2 else [])
    return employee, public


def _roles(index, project):
    if project.roles.exists():
        return
    is_open = project.status not in {S.COMPLETED, S.CANCELLED}
    employee, public = role_plan(index)
    for title, hours, seats, skill_slugs in employee:
        role = Role.objects.create(
            project=project,
            title=title,
            description=f"{title} im Projekt „{project.title}“.",
            audience="employees",
            hours_per_week=hours,
            auto_accept=index % 2 == 0,
            seats=seats,
            is_open=is_open,
        )
        role.skills.set(Skill.objects.filter(slug__in=skill_slugs))
    if project.is_internal:
        return
    for title, kind, seats in public:
        Role.objects.create(
            project=project,
            title=title,
            description=f"{title} im Projekt „{project.title}“.",
            audience="public",
            public_kind=kind,
            seats=seats,
            is_open=is_open,
        )


# (title, text) of the updates on running projects; the last one marks the step into the phase.
UPDATES = [
    (
        "Erste Gespräche geführt",
        "Wir haben mit zwölf Menschen gesprochen, die den Dienst regelmäßig nutzen.\n\n"
        "- Viele wünschen sich eine Übersicht über den Stand ihres Antrags\n"
        "- Die Sprache der Formulare ist oft schwer verständlich",
    ),
    (
        "Was wir gelernt haben",
        "Die größten Hürden liegen vor dem Formular: Menschen wissen nicht, welche Unterlagen "
        "sie brauchen. Daran arbeiten wir als Nächstes.",
    ),
    (
        "Weiter in die nächste Phase",
        "Die Ergebnisse sind zusammengefasst; wir gehen einen Schritt weiter. Danke an alle, "
        "die mitgemacht haben!",
    ),
]


def _updates(index, project):
    """A short timeline on running projects, also on the internal one (employees read it)."""
    if project.is_draft or project.updates.exists():
        return
    if index % 2 == 1 and not project.is_internal:
        return
    author = project.leads.first()
    # The newest update a few days ago, the others ten days apart before it: all in
    # the past, all after the project was published (at least 31 days ago).
    newest = timezone.now() - datetime.timedelta(days=2 + index % 7, hours=index)
    for step, (title, text) in enumerate(UPDATES):
        last = step == len(UPDATES) - 1
        ProjectUpdate.objects.create(
            project=project,
            title=title,
            text=text,
            author=author,
            # The timeline records the step into the phase the project is in now.
            phase=project.phase if last and PHASE_ORDER.index(project.phase) > 0 else "",
            created_at=newest - datetime.timedelta(days=10 * (len(UPDATES) - 1 - step)),
        )


@transaction.atomic
def load_projects():
    lead = User.objects.get(email="lead@example.org")
    # The demo "employee in no project yet" and the administrators stay out of projects.
    outside = ["admin@example.org", "head@example.org", "staff@example.org", "lead@example.org"]
    employees = list(User.objects.employees().exclude(email__in=outside).order_by("email"))
    for index, row in enumerate(PROJECTS):
        project = _project(index, row, lead, employees)
        _roles(index, project)
        _updates(index, project)
        refresh_search_document(project)
