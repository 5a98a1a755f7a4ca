"""Demo people and organisation for `manage.py load_demo_data`.

Everything is created with ``update_or_create`` on a natural key, so the loader
can run at every `make run` and leaves one copy of each thing.
"""

import functools
import random

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import Department, Skill, Topic, User

DEMO_PASSWORD = "demo"
# Administrators need a second factor. The demo administrator's TOTP secret is
# public like its password: `manage.py demo_mfa_code` prints the current code.
DEMO_TOTP_SECRET = "PROJEKTMARKTPLATZDEMOADMIN234567"

# (code, name, parent code)
DEPARTMENTS = [
    ("SenDig", "Senatsverwaltung für Digitalisierung", None),
    ("SenDig-I", "Abteilung I – Digitale Verwaltung", "SenDig"),
    ("SenDig-I-A", "Referat I A – Digitale Services", "SenDig-I"),
    ("SenDig-I-B", "Referat I B – Daten und Open Data", "SenDig-I"),
    ("SenDig-I-C", "Referat I C – Nutzerzentriertes Design", "SenDig-I"),
    ("SenDig-II", "Abteilung II – IT-Infrastruktur", "SenDig"),
    ("SenDig-II-A", "Referat II A – Plattformen und Betrieb", "SenDig-II"),
    ("SenDig-II-B", "Referat II B – Informationssicherheit", "SenDig-II"),
    ("SenDig-III", "Abteilung III – Organisation und Personal", "SenDig"),
    ("SenDig-III-A", "Referat III A – Agile Organisationsentwicklung", "SenDig-III"),
]

SKILLS = [
    ("python", "Python-Entwicklung", "Python development"),
    ("ux-research", "Nutzerforschung", "User research"),
    ("interaction-design", "Interaktionsdesign", "Interaction design"),
    ("accessibility", "Barrierefreiheit", "Accessibility"),
    ("data-analysis", "Datenanalyse", "Data analysis"),
    ("open-data", "Open Data", "Open data"),
    ("procurement", "Vergaberecht", "Procurement law"),
    ("project-management", "Projektmanagement", "Project management"),
    ("agile-coaching", "Agiles Coaching", "Agile coaching"),
    ("it-security", "IT-Sicherheit", "IT security"),
    ("data-protection", "Datenschutz", "Data protection"),
    ("plain-language", "Verständliche Sprache", "Plain language"),
    ("cloud-operations", "Cloud-Betrieb", "Cloud operations"),
    ("communication", "Öffentlichkeitsarbeit", "Public communication"),
]

TOPICS = [
    ("mobility", "Mobilität", "Mobility"),
    ("education", "Bildung", "Education"),
    ("climate", "Klima und Umwelt", "Climate and environment"),
    ("citizen-services", "Bürgerdienste", "Citizen services"),
    ("health", "Gesundheit", "Health"),
    ("participation", "Beteiligung", "Participation"),
    ("open-government", "Offenes Regierungshandeln", "Open government"),
]

FIRST_NAMES = [
    "Aylin",
    "Ben",
    "Chiara",
    "Dariusz",
    "Elif",
    "Finn",
    "Greta",
    "Hamza",
    "Ines",
    "Jonas",
    "Katarzyna",
    "Leon",
    "Mira",
    "Nils",
    "Oksana",
    "Paul",
    "Quynh",
    "Rafael",
    "Sophie",
    "Tarek",
    "Ulrike",
    "Vincent",
    "Wiebke",
    "Xaver",
    "Yasemin",
    "Zoe",
    "Anton",
    "Berit",
    "Cem",
    "Dana",
    "Emil",
    "Fatma",
    "Gustav",
    "Hanna",
    "Ilias",
    "Jana",
    "Kemal",
    "Lotte",
    "Malte",
    "Nora",
]
LAST_NAMES = [
    "Yılmaz",
    "Schulz",
    "Rossi",
    "Nowak",
    "Demir",
    "Hansen",
    "Krüger",
    "Aziz",
    "Weber",
    "Becker",
    "Kowalska",
    "Fischer",
    "Lange",
    "Berg",
    "Petrenko",
    "Wagner",
    "Nguyen",
    "García",
    "Meyer",
    "Haddad",
    "Schmidt",
    "Richter",
    "Jansen",
    "Huber",
    "Arslan",
    "Wolf",
    "Brandt",
    "Lorenz",
    "Kaya",
    "Vogel",
    "Keller",
    "Öztürk",
    "Hoffmann",
    "Frank",
    "Papadopoulos",
    "Simon",
    "Aksoy",
    "Busch",
    "Engel",
    "Roth",
]
PART_TIME_HOURS = [20, 25, 30, 32, 35]


def _vocabulary(model, rows):
    return [
        model.objects.update_or_create(slug=slug, defaults={"name_de": de, "name_en": en})[0]
        for slug, de, en in rows
    ]


def _departments():
    by_code = {}
    for code, name, parent_code in DEPARTMENTS:
        by_code[code], _created = Department.objects.update_or_create(
            code=code, defaults={"name": name, "parent": by_code.get(parent_code)}
        )
    return by_code


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; fifty people share one hash of the same password.
    return make_password(DEMO_PASSWORD)


def _person(email, **fields):
    user, created = User.objects.update_or_create(email=email, defaults=fields)
    if created or not user.has_usable_password():
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _demo_accounts(departments, skills, topics):
    admin = _person(
        "admin@example.org",
        display_name="Ada Admin",
        kind=User.Kind.EMPLOYEE,
        is_staff=True,
        is_superuser=True,
        department=departments["SenDig-III"],
    )
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, DEMO_TOTP_SECRET)
    head = _person(
        "head@example.org",
        display_name="Helga Hauptmann",
        kind=User.Kind.EMPLOYEE,
        department=departments["SenDig-I"],
    )
    lead = _person(
        "lead@example.org",
        display_name="Lea Leitner",
        kind=User.Kind.EMPLOYEE,
        department=departments["SenDig-I-A"],
        bio="Leitet Projekte zu digitalen Bürgerdiensten.",
    )
    employee = _person(
        "staff@example.org",
        display_name="Sam Sommer",
        kind=User.Kind.EMPLOYEE,
        department=departments["SenDig-I-B"],
        weekly_hours=32,
    )
    citizen = _person(
        "citizen@example.org",
        display_name="Clara Bürger",
        kind=User.Kind.CITIZEN,
        offers_ideas=True,
        offers_feedback=True,
    )
    company = _person(
        "company@example.org",
        display_name="Omar Org",
        kind=User.Kind.ORGANISATION,
        organisation_name="Beispiel Digital GmbH",
        organisation_type=User.OrganisationType.COMPANY,
        offers_testing=True,
    )
    lead.skills.set(skills[:3] + skills[7:8])
    employee.skills.set([skills[4], skills[5]])
    employee.interests.set([skills[0], skills[2]])
    citizen.topics.set(topics[:3])
    company.topics.set(topics[3:5])
    for department in departments.values():
        if department.parent_id is None or department.code == "SenDig-I":
            department.head = head if department.code == "SenDig-I" else admin
            department.save(update_fields=["head"])
    return [admin, head, lead, employee, citizen, company]


def _employees(departments, skills):
    """About forty employees across the units, some part-time, heads for every unit."""
    rng = random.Random(20261123)  # fixed seed: the same people on every machine
    units = [d for d in departments.values() if d.parent_id is not None]
    people = []
    for index, (first, last) in enumerate(zip(FIRST_NAMES, LAST_NAMES, strict=True)):
        unit = units[index % len(units)]
        hours = 40 if index % 4 else rng.choice(PART_TIME_HOURS)
        person = _person(
            f"{first.lower()}.{index:02d}@example.org",
            display_name=f"{first} {last}",
            kind=User.Kind.EMPLOYEE,
            department=unit,
            weekly_hours=hours,
        )
        person.skills.set(rng.sample(skills, 3))
        person.interests.set(rng.sample(skills, 2))
        people.append(person)
    for unit in units:
        if unit.head_id is None:
            unit.head = next(p for p in people if p.department_id == unit.pk)
            unit.save(update_fields=["head"])
    return people


def _participants(topics):
    rows = [
        ("nora.nachbar@example.org", "Nora Nachbar", User.Kind.CITIZEN, "", ""),
        ("emre.engagiert@example.org", "Emre Engagiert", User.Kind.CITIZEN, "", ""),
        (
            "verein@example.org",
            "Jo Verein",
            User.Kind.ORGANISATION,
            "Kiezlabor e. V.",
            "association",
        ),
        (
            "forschung@example.org",
            "Dr. Rana Research",
            User.Kind.ORGANISATION,
            "Institut für Verwaltungsinnovation",
            "research",
        ),
    ]
    people = []
    for index, (email, name, kind, organisation, organisation_type) in enumerate(rows):
        person = _person(
            email,
            display_name=name,
            kind=kind,
            organisation_name=organisation,
            organisation_type=organisation_type,
            offers_ideas=index % 2 == 0,
            offers_feedback=True,
            offers_testing=index % 2 == 1,
        )
        person.topics.set(topics[index : index + 2])
        people.append(person)
    return people


@transaction.atomic
def load_people():
    skills = _vocabulary(Skill, SKILLS)
    topics = _vocabulary(Topic, TOPICS)
    departments = _departments()
    accounts = _demo_accounts(departments, skills, topics)
    employees = _employees(departments, skills)
    participants = _participants(topics)
    return {"accounts": accounts, "employees": employees, "participants": participants}
