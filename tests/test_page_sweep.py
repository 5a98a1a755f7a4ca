"""Every URL pattern of the portal, requested by every kind of visitor.

No response may be a server error, in German or English; every HTML page must pass
axe-core in Chromium and the Nu Html Checker, in both languages, without a finding.
A new URL pattern that this sweep cannot build a URL for fails the sweep: add it to
``EXPLICIT_URLS`` (or to the generic rules) together with the fixture objects it needs.
"""

import hashlib
import re
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

import accounts
from accounts import audit, delivery
from accounts.models import Department, Notification
from marketplace.models import ProjectUpdate
from participation.models import (
    ActionItem,
    Application,
    Membership,
    Question,
    Retrospective,
    TeamFeedback,
)
from participation.services import comments as comment_services
from participation.services import ideas as idea_services
from participation.services import rounds as round_services
from participation.services.rounds import TaskAnswer
from tests.conftest import (
    AXE_TAGS_WITH_BEST_PRACTICE,
    axe_violations,
    context_with_axe,
    describe_violations,
    log_in_browser,
)
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    DepartmentFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    SignLanguageVideoFactory,
    SkillFactory,
    TopicFactory,
    UserFactory,
)
from tests.factories_participation import CommentFactory, ProposalFactory
from tests.factories_rounds import (
    SUS_EXAMPLE,
    FeedbackRoundFactory,
    IdeaFactory,
    IdeaQuestionFactory,
    RoundFactory,
    participant,
)
from workload import snapshots

ADMIN_MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/(\w+/)?$")


@dataclass
class SweepWorld:
    """The objects that URLs with arguments point at."""

    objects: dict = field(default_factory=dict)

    def admin_object(self, app_label: str, model_name: str):
        for obj in self.objects.values():
            meta = obj._meta
            if (meta.app_label, meta.model_name) == (app_label, model_name):
                return obj
        raise LookupError(f"no sweep object for admin model {app_label}.{model_name}")


def build_world() -> SweepWorld:
    head = EmployeeFactory(display_name="Head of unit")
    division = DepartmentFactory(name="Abteilung Sweep", code="SWEEP", head=head)
    unit = DepartmentFactory(name="Referat Sweep", code="SWEEP-A", parent=division)
    owner = AdminFactory(department=unit)
    unverified = UserFactory(verified=False)
    unverified_address = EmailAddress.objects.create(
        user=unverified, email=unverified.email, verified=False, primary=True
    )
    TOTP.activate(owner, generate_totp_secret())  # administrators must have a second factor
    recovery_codes = RecoveryCodes.activate(owner).instance
    social_app = SocialApp.objects.create(
        provider="openid_connect", provider_id="sweep-sso", name="Sweep SSO", client_id="sweep"
    )
    social_account = SocialAccount.objects.create(
        user=owner, provider="sweep-sso", uid="sweep-uid", extra_data={}
    )
    social_token = SocialToken.objects.create(app=social_app, account=social_account, token="t")
    event = audit.record(owner, "sweep.created", division, note="sweep")
    project = ProjectFactory(
        title="Sweep-Projekt", slug="sweep-projekt", department=unit, leads=[owner]
    )
    role = RoleFactory(project=project)
    PublicRoleFactory(project=project)
    proposal = ProposalFactory()
    proposal_comment = CommentFactory(project=None, proposal=proposal)
    hidden_comment = CommentFactory(project=project)
    for reporter in CitizenFactory.create_batch(3):
        comment_services.report_comment(reporter, hidden_comment, "sweep")
    application = Application.objects.create(role=role, applicant=CitizenFactory())
    membership = Membership.objects.create(project=project, role=role, person=head)
    update = ProjectUpdate.objects.create(
        project=project, title="Sweep-Neuigkeit", text="Es geht voran.", author=owner
    )
    retrospective = Retrospective.objects.create(
        project=project, iteration="Sprint 1", went_well="Gut.", to_improve="Mehr testen."
    )
    action_item = ActionItem.objects.create(
        retrospective=retrospective, text="Testplan schreiben", owner=head
    )
    TeamFeedback.objects.create(project=project, text="Weiter so.")
    accounts.notify([owner], "application_received", "sweep", url=project.get_absolute_url())
    snapshot = snapshots.take_snapshot(timezone.localdate(), created_by=owner)
    activities = build_activities(project, owner)
    return SweepWorld(
        objects={
            "proposal": proposal,
            "comment": proposal_comment,
            "application": application,
            "membership": membership,
            "user": owner,
            "unverified": unverified,
            "email_address": unverified_address,
            "department": Department.objects.get(pk=division.pk),
            "skill": SkillFactory(),
            "topic": TopicFactory(),
            "group": Group.objects.create(name="Sweep group"),
            "authenticator": Authenticator.objects.get(pk=recovery_codes.pk),
            "audit_event": event,
            "social_app": social_app,
            "social_account": social_account,
            "social_token": social_token,
            "project": project,
            "role": role,
            "workload_snapshot": snapshot,
            "workload_row": snapshot.rows.first(),
            "head": head,
            "project_update": update,
            "retrospective": retrospective,
            "action_item": action_item,
            "notification": Notification.objects.get(event_key="sweep"),
            "sign_language_video": SignLanguageVideoFactory(),
            **activities,
        }
    )


def build_activities(project, lead) -> dict:
    """A closed test round with results, an open feedback round, an answered idea."""
    tester = participant(project, "testing")
    participant(project, "feedback", tester)
    participant(project, "ideas", tester)
    test_round = RoundFactory(project=project, steps=2)
    round_services.submit_test_response(
        tester,
        test_round,
        [
            TaskAnswer(task.pk, "difficult", 3, "Knopf nicht gefunden.")
            for task in test_round.tasks.all()
        ],
        SUS_EXAMPLE,
    )
    round_services.close_round(lead, test_round)
    feedback_round = FeedbackRoundFactory(project=project, steps=0, audience="signed_in")
    for position, (kind, options) in enumerate(
        [("rating", []), ("single", ["Ja", "Nein"]), ("multiple", ["A", "B", "C"]), ("text", [])],
        1,
    ):
        Question.objects.create(
            round=feedback_round,
            position=position,
            text=f"Frage {position}",
            kind=kind,
            options=options,
            is_required=position < 4,
        )
    question = IdeaQuestionFactory(project=project)
    idea = IdeaFactory(question=question, author=tester)
    idea_services.answer_idea(lead, idea, status="considering", reason="Wir prüfen das.")
    IdeaFactory(question=question)
    return {
        "round": test_round,
        "feedback_round": feedback_round,
        "idea_question": question,
        "idea": idea,
        "tester": tester,
    }


def _confirm_email_url(world):
    key = EmailConfirmationHMAC(world.objects["email_address"]).key
    return f"/accounts/confirm-email/{key}/"


def _password_reset_url(world):
    user = world.objects["unverified"]
    token = default_token_generator.make_token(user)
    return f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{token}/"


def _view_on_site_url(world):
    user = world.objects["user"]
    return f"/admin/r/{ContentType.objects.get_for_model(user).pk}/{user.pk}/"


# Routes whose arguments the generic rules below cannot fill in.
EXPLICIT_URLS = {
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": _confirm_email_url,
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": _password_reset_url,
    "admin/r/<path:content_type_id>/<path:object_id>/": _view_on_site_url,
    "admin/accounts/user/<id>/password/": lambda w: (
        f"/admin/accounts/user/{w.objects['user'].pk}/password/"
    ),
    "admin/(?P<url>.*)$": lambda w: "/admin/no-such-page/",
    "workload/departments/<int:pk>/": lambda w: (
        f"/workload/departments/{w.objects['department'].pk}/"
    ),
    # An upload: the sign-language page plays the video and its captions from here.
    "media/<path:name>": lambda w: w.objects["sign_language_video"].video.url,
    "open-data/<slug:dataset>.json": lambda w: "/open-data/projects.json",
    "open-data/<slug:dataset>.csv": lambda w: "/open-data/projects.csv",
    "api/v1/projects/<slug>/": lambda w: f"/api/v1/projects/{w.objects['project'].slug}/",
    "open-data/<slug:dataset>.all.json": lambda w: "/open-data/projects.all.json",
    "sitemap-<section>.xml": lambda w: "/sitemap-projects.xml",
    "projects/<slug:slug>/retrospectives/<int:retrospective_id>/": lambda w: w.objects[
        "retrospective"
    ].get_absolute_url(),
    "projects/<slug:slug>/retrospectives/<int:retrospective_id>/actions/": lambda w: (
        w.objects["retrospective"].get_absolute_url() + "actions/"
    ),
    # The open round's questionnaire; the closed test round's page shows the charts.
    "projects/<slug:slug>/rounds/<int:round_id>/answer/": lambda w: (
        w.objects["feedback_round"].get_absolute_url() + "answer/"
    ),
    "action-items/<int:pk>/done/": lambda w: f"/action-items/{w.objects['action_item'].pk}/done/",
    "me/notifications/<int:pk>/read/": lambda w: (
        f"/me/notifications/{w.objects['notification'].pk}/read/"
    ),
    "me/notifications/<int:pk>/open/": lambda w: (
        f"/me/notifications/{w.objects['notification'].pk}/open/"
    ),
    "notifications/unsubscribe/<str:token>/": lambda w: (
        "/notifications/unsubscribe/"
        f"{delivery.unsubscribe_token(w.objects['user'].pk, 'application_received')}/"
    ),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": lambda w: "/accounts/oidc/sweep-sso/login/",
    # Without a state from the identity provider the callback must answer with an error page.
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": (
        lambda w: "/accounts/oidc/sweep-sso/login/callback/?code=forged&state=forged"
    ),
}


def walk_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from walk_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def url_for_route(route: str, world: SweepWorld) -> str | None:
    if route in EXPLICIT_URLS:
        return EXPLICIT_URLS[route](world)
    if route.startswith("admin/^(?P<app_label>"):
        return "/admin/accounts/"
    match = ADMIN_MODEL_ROUTE.match(route)
    if match:
        obj = world.admin_object(match["app"], match["model"])
        return "/" + route.replace("<path:object_id>", str(obj.pk))
    if "<slug:slug>" in route:
        route = route.replace("<slug:slug>", world.objects["project"].slug)
        route = route.replace("<int:role_id>", str(world.objects["role"].pk))
        route = route.replace("<int:round_id>", str(world.objects["round"].pk))
        route = route.replace("<int:question_id>", str(world.objects["idea_question"].pk))
        route = route.replace("<int:idea_id>", str(world.objects["idea"].pk))
    for prefix, name in [
        ("proposals/", "proposal"),
        ("applications/", "application"),
        ("memberships/", "membership"),
        ("comments/", "comment"),
    ]:
        if route.startswith(f"{prefix}<int:pk>/"):
            route = route.replace("<int:pk>", str(world.objects[name].pk))
    if "<" in route or "(" in route or "^" in route:
        return None  # has arguments: needs an explicit rule
    return "/" + route


def sweep_urls(world: SweepWorld) -> list[str]:
    urls, uncovered = [], []
    for route in walk_routes():
        url = url_for_route(route, world)
        if url is None:
            uncovered.append(route)
        else:
            urls.append(url)
    assert not uncovered, f"URL patterns not covered by the page sweep: {uncovered}"
    return sorted(set(urls))


VISITORS = {
    "anonymous": None,
    "citizen": lambda world: CitizenFactory(),
    "employee": lambda world: EmployeeFactory(department=world.objects["department"]),
    "administrator": lambda world: world.objects["user"],
    "head of department": lambda world: world.objects["head"],
    "tester, feedback and idea giver": lambda world: world.objects["tester"],
}

VOLATILE = [
    # per-session secrets: a token or nonce differs on every request
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1"),
    (re.compile(r'("x-csrftoken": ?")[^"]*'), r"\1"),
    (re.compile(r'(nonce=")[^"]*'), r"\1"),
    # ids, counts, dates and times: the same page for another row or day renders alike
    (re.compile(r"\d+"), "0"),
]


def rendering_fingerprint(html: str, user) -> str:
    """The page as axe-core sees it, less what differs without changing its structure.

    Two visitors who get the same HTML apart from tokens, numbers and their own name get
    the same rendering: axe-core checks it once, the status check runs for each of them.
    """
    if user is not None:
        for own in {user.display_name, user.email} - {""}:
            html = html.replace(own, "<visitor>")
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return hashlib.sha256(html.encode()).hexdigest()


# What a translation changes without changing what axe-core judges: the words of text
# and of the attributes that carry words, and the page's own language. Kept: whether
# there are words at all, and every lang="…" inside the page (content in another language).
TRANSLATED = [
    (re.compile(r'((?:aria-label|title|placeholder|alt|content|value)=")[^"]+'), r"\1T"),
    # data-* attributes are for scripts (select2's texts, the admin's formset labels).
    (re.compile(r'((?:data-[\w-]+)=")[^"]+'), r"\1T"),
    (re.compile(r">[^<]*[^<\s][^<]*(?=<)"), ">T"),
    (re.compile(r"<html lang=\"[^\"]*\""), '<html lang="L"'),
    # The admin's select2 widgets name the page's language for their own texts.
    (re.compile(r'(<select [^>]*class="admin-autocomplete"[^>]*lang=")[\w-]+'), r"\1L"),
    # The language switcher preselects the page's language; the admin's select2 loads its own.
    (re.compile(r'(<option value="T" lang="[\w-]+") selected'), r"\1"),
    (re.compile(r"(/i18n/)[\w-]+\.js"), r"\1L.js"),
    # Content in the other language: a span around its words, or lang="…" on its element.
    # Of axe-core's rules only valid-lang looks at these, and ``invalid_languages`` checks
    # every page for it; the words' colours and roles are those of the page around them.
    (re.compile(r'<span lang="[\w-]+">(T?)</span>'), r"\1"),
    (re.compile(r' lang="(?!L")[\w-]+"'), ""),
    # Such a span amid a sentence leaves the words before, in and after it ("TTT"): still
    # words, as the German sentence without the span is ("T").
    (re.compile(r"T{2,}"), "T"),
]
# The admin sorts its apps, and the models in each, by their translated names.
ADMIN_APP = re.compile(r'<div class="app-[\w-]+ module[^"]*">.*?</table>\s*</div>', re.DOTALL)
ADMIN_MODEL = re.compile(r'<tr class="model-.*?</tr>', re.DOTALL)


def _in_any_order(html: str) -> str:
    """The admin's app list with apps and models in a fixed order, not the language's."""

    def sorted_models(app: str) -> str:
        return ADMIN_MODEL.sub("", app) + "".join(sorted(ADMIN_MODEL.findall(app)))

    apps = sorted(sorted_models(app) for app in ADMIN_APP.findall(html))
    return ADMIN_APP.sub("", html) + "".join(apps)


def structure_fingerprint(html: str, user) -> str:
    """The rendering less its words: the English page of a German one that axe-core passed
    is judged alike unless it differs in structure (such as German content marked lang="de")."""
    return rendering_fingerprint(without_words(html), user)


LANG_ATTRIBUTE = re.compile(r'\slang="([^"]*)"')


def invalid_languages(html: str) -> list[str]:
    """The lang="…" values that are none of the site's languages (axe-core's valid-lang)."""
    languages = {code for code, _name in settings.LANGUAGES}
    return sorted(set(LANG_ATTRIBUTE.findall(html)) - languages)


def without_words(html: str) -> str:
    html = html.replace("<title>", "<title>T")  # the title's words go, not whether it has any
    for pattern, replacement in TRANSLATED:
        html = pattern.sub(replacement, html)
    return _in_any_order(html)


@dataclass
class Fetched:
    html_pages: dict[str, str] = field(default_factory=dict)  # URL -> HTML
    server_errors: list[str] = field(default_factory=list)
    # Pages that sign the visitor out (allauth's password reset link does): the browser
    # checks each of them in a session of its own, so no other page is seen signed out.
    ends_session: set[str] = field(default_factory=set)


def _client_for(user, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


def _fetch_all(client: Client, urls: list[str], user) -> Fetched:
    """GET every URL as ``user``, signing in again after a page that signed them out."""
    fetched = Fetched()
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            fetched.server_errors.append(f"{url} -> {response.status_code}")
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            # A fragment for htmx (the unread badge) is judged inside the page that shows it.
            if html.lstrip()[:9].lower() == "<!doctype":
                fetched.html_pages[url] = html
        if user is not None and client.session.get("_auth_user_id") != str(user.pk):
            fetched.ends_session.add(url)
            client.force_login(user)
    return fetched


class BrowserChecks:
    """axe-core and the Content-Security-Policy in Chromium, once per distinct rendering;
    the same renderings are kept for the Nu Html Checker, which checks them all at once."""

    def __init__(self, browser, live_server_url: str):
        self.browser, self.live_server_url = browser, live_server_url
        self.checked: dict[str, str] = {}  # fingerprint -> the page that was checked for it
        self.checked_structures: set[str] = set()  # structure_fingerprint of those
        self.failures: list[str] = []
        self.for_html_checker: dict[str, str] = {}  # "URL (visitor)" -> HTML
        self.html_checked: set[str] = set()  # rendering fingerprints of those

    def check_pages(
        self, visitor: str, user, fetched: Fetched, locale: str = "de-DE", translation=False
    ) -> None:
        """axe-core for each new rendering; for a ``translation``, each new structure."""
        unchecked = {}
        for url, html in fetched.html_pages.items():
            if invalid := invalid_languages(html):
                self.failures.append(f"{url} ({visitor}): lang values not in LANGUAGES: {invalid}")
            fingerprint = rendering_fingerprint(html, user)
            if fingerprint not in self.html_checked:  # every distinct rendering: the checker
                self.html_checked.add(fingerprint)
                self.for_html_checker[f"{url} ({visitor})"] = html
            structure = structure_fingerprint(html, user)
            known = structure in self.checked_structures if translation else None
            if not known and fingerprint not in self.checked:
                self.checked[fingerprint] = f"{url} ({visitor})"
                self.checked_structures.add(structure)
                unchecked[url] = fingerprint
        in_one_session = [url for url in unchecked if url not in fetched.ends_session]
        if in_one_session:
            self._check_in_browser(visitor, user, in_one_session, locale)
        for url in fetched.ends_session & unchecked.keys():
            self._check_in_browser(visitor, user, [url], locale)

    def _check_in_browser(self, visitor: str, user, urls: list[str], locale: str) -> None:
        # The browser asks for the page's language as a visitor's browser would.
        context = context_with_axe(self.browser, locale=locale)
        if user is not None:
            log_in_browser(context, self.live_server_url, user)
        page = context.new_page()
        csp_errors: list[str] = []

        def collect_csp_errors(message):
            if "Content Security Policy" in message.text:
                csp_errors.append(message.text)

        page.on("console", collect_csp_errors)
        try:
            for url in urls:
                csp_errors.clear()
                page.goto(self.live_server_url + url)
                # What the page itself did: axe-core's own probes set inline styles, which
                # the CSP rightly blocks, on some pages (admin forms with best practices).
                blocked = list(csp_errors)
                try:
                    violations = axe_violations(page, AXE_TAGS_WITH_BEST_PRACTICE)
                except PlaywrightError as error:  # name the page axe-core failed on
                    self.failures.append(f"{url} ({visitor}): axe-core failed: {error}"[:500])
                    continue
                if violations:
                    self.failures.append(f"{url} ({visitor}):\n{describe_violations(violations)}")
                if blocked:
                    self.failures.append(f"{url} ({visitor}): CSP blocked: {blocked[:3]}")
        finally:
            context.close()


@dataclass(frozen=True)
class SweepGroup:
    """Some visitors on some of the URLs: one test each, so xdist spreads the sweep.

    Together the groups request every URL as every visitor (checked below). Renderings are
    checked once per group: a page two groups share is checked in each, never skipped.
    """

    visitors: tuple[str, ...]
    admin_urls: bool | None = None  # True: only /admin/ URLs, False: all others, None: all
    shard: tuple[int, int] = (0, 1)  # (i, n): every n-th of those URLs, from the i-th

    def urls(self, urls: list[str]) -> list[str]:
        if self.admin_urls is not None:
            urls = [url for url in urls if url.startswith("/admin/") == self.admin_urls]
        index, count = self.shard
        return urls[index::count]


SWEEP_GROUPS = {
    # The administrator alone sees ~150 admin pages: they are split in two groups.
    "administrator-admin-1": SweepGroup(("administrator",), admin_urls=True, shard=(0, 2)),
    "administrator-admin-2": SweepGroup(("administrator",), admin_urls=True, shard=(1, 2)),
    "administrator-portal": SweepGroup(("administrator",), admin_urls=False),
    "public-and-staff": SweepGroup(("anonymous", "citizen", "employee")),
    "head-and-participant": SweepGroup(("head of department", "tester, feedback and idea giver")),
}


def test_the_groups_request_every_url_as_every_visitor_once():
    urls = [f"/admin/{n}/" for n in range(5)] + [f"/p/{n}/" for n in range(5)]
    requested = [
        (visitor, url)
        for group in SWEEP_GROUPS.values()
        for visitor in group.visitors
        for url in group.urls(urls)
    ]
    assert sorted(requested) == sorted((visitor, url) for visitor in VISITORS for url in urls)


@pytest.mark.browser
@pytest.mark.long_running
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("group_name", SWEEP_GROUPS)
def test_every_page_answers_every_visitor_without_error_and_passes_axe_and_the_html_checker(
    live_server, browser, html_checker, group_name
):
    group = SWEEP_GROUPS[group_name]
    world = build_world()
    urls = group.urls(sweep_urls(world))
    checks = BrowserChecks(browser, live_server.url)
    server_errors, checked_per_visitor = [], {}
    for visitor in group.visitors:
        make_user = VISITORS[visitor]
        user = make_user(world) if make_user else None
        fetched = _fetch_all(_client_for(user, "de"), urls, user)
        server_errors += [f"{error} ({visitor})" for error in fetched.server_errors]
        assert fetched.html_pages, f"the sweep found no HTML page to check for {visitor}"
        before = len(checks.checked)
        checks.check_pages(visitor, user, fetched)
        checked_per_visitor[visitor] = (len(fetched.html_pages), len(checks.checked) - before)
        # English too: every rendering through the Nu Html Checker, and through axe-core
        # (in an English browser) wherever its structure differs from a German page's,
        # such as German content marked lang="de" on an English page.
        Notification.objects.update(read_at=None)  # as unread as the German pass found it
        in_english = _fetch_all(_client_for(user, "en"), urls, user)
        server_errors += [f"{error} ({visitor}, English)" for error in in_english.server_errors]
        checks.check_pages(
            f"{visitor}, English", user, in_english, locale="en-GB", translation=True
        )
    print(f"\nHTML pages per visitor (all, checked by axe): {checked_per_visitor}")
    print(f"Renderings for the Nu Html Checker: {len(checks.for_html_checker)}")
    # One JVM start for the whole group: the checker takes all its pages at once.
    invalid_html = html_checker(checks.for_html_checker)
    assert not server_errors, f"server errors: {server_errors}"
    assert not checks.failures, "\n\n".join(checks.failures)
    assert not invalid_html, "The Nu Html Checker found:\n" + "\n".join(invalid_html)


def test_the_fingerprint_keeps_apart_what_axe_would_judge_differently():
    page = '<main><label for="q">Suche</label><input id="q" name="q" value="12"></main>'
    assert rendering_fingerprint(page, None) == rendering_fingerprint(
        page.replace("12", "345"), None
    )
    assert rendering_fingerprint(page, None) != rendering_fingerprint(
        page.replace('<label for="q">Suche</label>', ""), None
    )
    assert rendering_fingerprint(page, None) != rendering_fingerprint(
        page.replace("<main>", '<main lang="en">'), None
    )


def test_the_structure_fingerprint_judges_a_translation_alike_unless_its_structure_differs():
    german = '<html lang="de"><title>Suche</title><main><a href="/p/" title="Projekte">Alle Projekte</a></main>'
    english = '<html lang="en"><title>Search</title><main><a href="/p/" title="Projects">All projects</a></main>'
    assert structure_fingerprint(german, None) == structure_fingerprint(english, None)
    assert rendering_fingerprint(german, None) != rendering_fingerprint(english, None)
    # German content marked on the English page: its lang values are checked on their own.
    marked = english.replace("All projects", '<span lang="de">Alle Projekte</span>')
    assert structure_fingerprint(marked, None) == structure_fingerprint(english, None)
    amid_words = english.replace("All projects", 'All <span lang="de">Projekte</span> here')
    assert structure_fingerprint(amid_words, None) == structure_fingerprint(english, None)
    marked_element = english.replace("<main>", '<main lang="de">')
    assert structure_fingerprint(marked_element, None) == structure_fingerprint(english, None)
    unmarked = english.replace('<html lang="en">', "<html>")
    assert structure_fingerprint(unmarked, None) != structure_fingerprint(english, None)
    empty_link = english.replace("All projects", "")
    assert structure_fingerprint(empty_link, None) != structure_fingerprint(english, None)


def test_a_language_that_is_none_of_the_sites_is_found_on_any_element():
    page = '<html lang="de"><main><p lang="en">Yes</p><span lang="english">No</span></main>'
    assert invalid_languages(page) == ["english"]
    assert invalid_languages('<html lang="de-DE"><p lang="de">Ja</p>') == ["de-DE"]
    assert invalid_languages('<html lang="de"><p data-lang="x" lang="en">Ja</p>') == []


def _admin_app(label: str, models: list[str]) -> str:
    rows = "".join(
        f'<tr class="model-{model}"><th><a href="/{model}/">{model}</a></th></tr>'
        for model in models
    )
    return f'<div class="app-{label} module"><table><caption>{label}</caption>{rows}</table></div>'


def test_the_structure_fingerprint_ignores_what_a_translation_reorders_or_preselects():
    german = (
        '<html lang="de"><select><option value="de" lang="de" selected>Deutsch</option>'
        '<option value="en" lang="en">English</option></select>'
        '<script src="/static/admin/js/vendor/select2/i18n/de.js"></script>'
        '<select name="p" class="admin-autocomplete" data-placeholder="Wählen" lang="de"></select>'
        + _admin_app("accounts", ["user", "department"])
        + _admin_app("workload", ["snapshot"])
    )
    english = (
        '<html lang="en"><select><option value="de" lang="de">Deutsch</option>'
        '<option value="en" lang="en" selected>English</option></select>'
        '<script src="/static/admin/js/vendor/select2/i18n/en.js"></script>'
        '<select name="p" class="admin-autocomplete" data-placeholder="Choose" lang="en"></select>'
        + _admin_app("workload", ["snapshot"])
        + _admin_app("accounts", ["department", "user"])
    )
    assert structure_fingerprint(german, None) == structure_fingerprint(english, None)
    one_model_less = english.replace('<tr class="model-user">', '<tr class="model-gone">')
    assert structure_fingerprint(one_model_less, None) != structure_fingerprint(english, None)
    unlabelled = english.replace("<caption>workload</caption>", "")
    assert structure_fingerprint(unlabelled, None) != structure_fingerprint(english, None)
