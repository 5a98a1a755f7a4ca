"""Comments on projects and proposals: posting, the rate limit, reports and moderation."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import AuditEvent, Notification
from marketplace.models import Project
from participation.models import Comment, CommentReport
from participation.services import comments as services
from participation.views.comments import comments_context
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    UserFactory,
)
from tests.factories_participation import (
    CommentFactory,
    CommentReportFactory,
    ProposalFactory,
    ReviewerFactory,
)

HIDDEN_TEXT = "This comment was hidden by a moderator."
# The comments with authors and report counts; for a signed-in visitor the check for a
# verified address and the project's leads (may they moderate?); for a moderator also the
# reasons of the reports. Never one more per comment or report.
SECTION_QUERIES = {"anonymous": 1, "citizen": 3, "lead": 4}


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory(display_name="Lena Lead")


@pytest.fixture
def project(lead):
    return ProjectFactory(leads=[lead])


@pytest.fixture
def author(db):
    return CitizenFactory(display_name="Anna Author")


@pytest.fixture
def comment(project, author):
    return CommentFactory(project=project, author=author, body="Gute Idee, aber zu teuer.")


def project_comment_url(project):
    return reverse("project-comment", kwargs={"slug": project.slug})


def proposal_comment_url(proposal):
    return reverse("proposal-comment", kwargs={"pk": proposal.pk})


def report_url(comment):
    return reverse("comment-report", kwargs={"pk": comment.pk})


def moderate_url(comment):
    return reverse("comment-moderate", kwargs={"pk": comment.pk})


def signed_in(client, user):
    client.force_login(user)
    return client


def section_html(user, target) -> str:
    return render_to_string(
        "participation/includes/comments.html", {**comments_context(user, target), "user": user}
    )


# --- Posting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["project-comment", "proposal-comment", "comment-report", "comment-moderate"]
)
def test_comment_endpoints_are_post_only(client, comment, url_name):
    kwargs = {"slug": comment.project.slug} if url_name == "project-comment" else {"pk": comment.pk}
    if url_name == "proposal-comment":
        kwargs = {"pk": ProposalFactory().pk}
    signed_in(client, CitizenFactory())

    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == 405


def test_a_verified_citizen_comments_on_a_project(client, project):
    citizen = CitizenFactory()
    response = signed_in(client, citizen).post(project_comment_url(project), {"body": "Prima!"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{project.get_absolute_url()}#comment-{comment.pk}"
    assert (comment.project, comment.proposal, comment.author) == (project, None, citizen)
    assert AuditEvent.objects.filter(actor=citizen, verb="comment.posted").exists()


def test_a_verified_citizen_comments_on_a_proposal(client, db):
    proposal = ProposalFactory()
    response = signed_in(client, CitizenFactory()).post(
        proposal_comment_url(proposal), {"body": "Unterstütze ich."}
    )

    assert response.status_code == 302
    assert Comment.objects.get().proposal == proposal
    assert "Unterstütze ich." in client.get(proposal.get_absolute_url()).content.decode()


def test_htmx_answers_with_the_updated_section(client, project):
    response = signed_in(client, CitizenFactory()).post(
        project_comment_url(project), {"body": "Per htmx."}, headers={"HX-Request": "true"}
    )

    section = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in section
    assert 'id="comments"' in section
    assert "Per htmx." in section
    assert "Your comment has been posted." in section


def test_anonymous_visitors_are_sent_to_sign_in_before_commenting(client, project):
    response = client.post(project_comment_url(project), {"body": "Hallo"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Comment.objects.exists()


def test_unverified_people_cannot_comment(client, project):
    response = signed_in(client, UserFactory(verified=False)).post(
        project_comment_url(project), {"body": "Hallo"}
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_000, "x" * 5001])
def test_an_empty_or_too_long_comment_is_refused_with_a_message(client, body, db):
    proposal = ProposalFactory()
    response = signed_in(client, CitizenFactory()).post(
        proposal_comment_url(proposal), {"body": body}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem" in page
    assert not Comment.objects.exists()


def test_a_refused_project_comment_shows_the_project_page_with_the_reason(client, project):
    response = signed_in(client, CitizenFactory()).post(project_comment_url(project), {"body": ""})

    assert response.status_code == 422
    assert "Please write something before you post the comment." in response.content.decode()


def test_htmx_shows_a_refused_comment_in_the_section(client, project):
    response = signed_in(client, CitizenFactory()).post(
        project_comment_url(project), {"body": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200  # htmx 2 would not swap a 4xx answer
    assert "Please write something before you post the comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_5000_character_comment_is_fine(client, project):
    signed_in(client, CitizenFactory()).post(project_comment_url(project), {"body": "x" * 5000})

    assert len(Comment.objects.get().body) == 5000


def test_the_sixth_comment_within_a_minute_is_refused_with_429(client, project):
    signed_in(client, CitizenFactory())
    for number in range(services.COMMENTS_PER_WINDOW):
        assert (
            client.post(project_comment_url(project), {"body": f"Nr. {number}"}).status_code == 302
        )

    response = client.post(project_comment_url(project), {"body": "Einer zu viel"})

    assert response.status_code == 429
    assert "Please wait a moment" in response.content.decode()
    assert Comment.objects.count() == services.COMMENTS_PER_WINDOW


def test_the_rate_limit_counts_per_person(client, project):
    for number in range(services.COMMENTS_PER_WINDOW):
        services.post_comment(CitizenFactory(), project, f"Nr. {number}")
    busy = CitizenFactory()
    for number in range(services.COMMENTS_PER_WINDOW):
        services.post_comment(busy, project, f"Nr. {number}")

    with pytest.raises(services.CommentRateLimited):
        services.post_comment(busy, project, "Einer zu viel")
    services.post_comment(CitizenFactory(), project, "Jemand anderes darf noch")


def test_comments_on_a_draft_are_for_its_leads_only(client, lead):
    draft = ProjectFactory(status="draft", published_at=None, leads=[lead])

    outsider = signed_in(client, CitizenFactory()).post(project_comment_url(draft), {"body": "?"})
    assert outsider.status_code == 404

    client.force_login(lead)
    assert client.post(project_comment_url(draft), {"body": "Notiz"}).status_code == 302
    assert Comment.objects.get().project == draft


def test_the_public_cannot_comment_on_an_internal_project(client, db):
    internal = ProjectFactory(is_internal=True, internal_reason="Sicherheit")

    response = signed_in(client, CitizenFactory()).post(
        project_comment_url(internal), {"body": "?"}
    )

    assert response.status_code == 403
    assert comments_context(AnonymousUser(), internal) == {
        "target": internal,
        "comments_visible": False,
    }


def test_comments_on_unknown_targets_answer_404(client, db):
    signed_in(client, CitizenFactory())

    assert (
        client.post(reverse("project-comment", kwargs={"slug": "nope"}), {"body": "x"}).status_code
        == 404
    )
    assert (
        client.post(reverse("proposal-comment", kwargs={"pk": 999999}), {"body": "x"}).status_code
        == 404
    )


def test_the_database_wants_exactly_one_target(project):
    with pytest.raises(IntegrityError):
        CommentFactory(project=project, proposal=ProposalFactory())


# --- The section ------------------------------------------------------------------------------


def test_the_section_shows_comments_as_articles_with_a_form(project, comment):
    html = section_html(CitizenFactory(), project)

    assert '<article class="comment"' in html
    assert "Anna Author" in html
    assert "Gute Idee, aber zu teuer." in html
    assert 'name="body"' in html
    assert f'action="{report_url(comment)}"' in html
    assert moderate_url(comment) not in html


def test_anonymous_visitors_are_invited_to_sign_in(project, comment):
    html = section_html(AnonymousUser(), project)

    assert "Sign in to comment" in html
    assert 'name="body"' not in html
    assert report_url(comment) not in html


def test_authors_cannot_report_themselves_in_the_section(project, comment, author):
    assert report_url(comment) not in section_html(author, project)


@pytest.mark.parametrize("visitor", ["anonymous", "citizen", "lead"])
def test_the_section_costs_the_same_queries_with_few_or_many_comments(
    project, comment, lead, django_assert_num_queries, visitor
):
    user = {"anonymous": AnonymousUser(), "citizen": CitizenFactory(), "lead": lead}[visitor]
    target = Project.objects.get(pk=project.pk)  # leads not loaded yet, as on a page
    with django_assert_num_queries(SECTION_QUERIES[visitor]):
        comments_context(user, target)

    for extra in CommentFactory.create_batch(10, project=project):
        CommentReportFactory.create_batch(2, comment=extra)
    target = Project.objects.get(pk=project.pk)
    with django_assert_num_queries(SECTION_QUERIES[visitor]):
        context = comments_context(user, target)
    assert len(context["comments"]) == 11


# --- Reporting --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_before_reporting(client, comment):
    response = client.post(report_url(comment), {"reason": "Spam"})

    assert response.status_code == 302
    assert not CommentReport.objects.exists()


def test_anyone_signed_in_reports_a_comment(client, comment):
    reporter = UserFactory(verified=False)  # reporting needs no verified address
    response = signed_in(client, reporter).post(report_url(comment), {"reason": "Spam"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert CommentReport.objects.get().reporter == reporter
    assert AuditEvent.objects.filter(actor=reporter, verb="comment.reported").exists()


def test_reporting_your_own_comment_is_refused_with_400(client, comment, author):
    response = signed_in(client, author).post(report_url(comment), {"reason": "Ups"})

    assert response.status_code == 400
    assert "You cannot report your own comment." in response.content.decode()
    assert not CommentReport.objects.exists()


def test_reporting_twice_is_refused_with_a_message(client, comment):
    signed_in(client, CitizenFactory())
    client.post(report_url(comment), {"reason": "Spam"})

    response = client.post(report_url(comment), {"reason": "Immer noch Spam"})

    assert response.status_code == 400
    assert "You have already reported this comment." in response.content.decode()
    assert CommentReport.objects.count() == 1


def test_a_report_needs_a_reason(client, comment):
    response = signed_in(client, CitizenFactory()).post(report_url(comment), {"reason": " "})

    assert response.status_code == 422
    assert "Please say why you report this comment." in response.content.decode()


def test_htmx_report_answers_with_the_section(client, comment):
    response = signed_in(client, CitizenFactory()).post(
        report_url(comment), {"reason": "Spam"}, headers={"HX-Request": "true"}
    )

    section = response.content.decode()
    assert "Thank you for your report." in section
    assert "You have reported this comment." in section


def test_three_reports_hide_the_comment_until_a_moderator_looks(project, comment, lead):
    for reporter in CitizenFactory.create_batch(3):
        services.report_comment(reporter, comment, "Beleidigend")

    comment.refresh_from_db()
    assert comment.is_hidden and comment.awaits_moderator
    assert HIDDEN_TEXT in section_html(CitizenFactory(), project)
    assert "Gute Idee" not in section_html(CitizenFactory(), project)
    moderator_view = section_html(lead, project)
    assert "Gute Idee" in moderator_view
    assert "Hidden after 3 reports" in moderator_view
    assert AuditEvent.objects.filter(verb="comment.hidden_by_reports").exists()


def test_two_reports_leave_the_comment_visible(comment):
    for reporter in CitizenFactory.create_batch(2):
        services.report_comment(reporter, comment, "Unpassend")

    comment.refresh_from_db()
    assert not comment.is_hidden


def test_reports_on_someone_elses_draft_answer_404(client, lead):
    draft_comment = CommentFactory(project=ProjectFactory(status="draft", leads=[lead]))

    response = signed_in(client, CitizenFactory()).post(report_url(draft_comment), {"reason": "x"})

    assert response.status_code == 404


def test_reporting_an_unknown_comment_answers_404(client, db):
    response = signed_in(client, CitizenFactory()).post(
        reverse("comment-report", kwargs={"pk": 999999}), {"reason": "x"}
    )

    assert response.status_code == 404


# --- Moderation -------------------------------------------------------------------------------


def test_a_lead_hides_a_comment_and_the_author_is_told_why(client, comment, author, lead):
    response = signed_in(client, lead).post(
        moderate_url(comment), {"action": "hide", "reason": "Persönlicher Angriff"}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.is_hidden, comment.hidden_by, comment.hidden_reason) == (
        True,
        lead,
        "Persönlicher Angriff",
    )
    notification = Notification.objects.get(recipient=author, kind="comment_hidden")
    assert notification.data == {"reason": "Persönlicher Angriff"}
    assert notification.url.endswith(f"#comment-{comment.pk}")
    assert AuditEvent.objects.filter(actor=lead, verb="comment.hidden").exists()
    assert HIDDEN_TEXT in section_html(author, comment.project)


def test_a_moderator_restores_a_reported_comment(client, comment, lead):
    for reporter in CitizenFactory.create_batch(3):
        services.report_comment(reporter, comment, "Spam")

    response = signed_in(client, lead).post(
        moderate_url(comment), {"action": "restore", "reason": "Sachliche Kritik"}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert AuditEvent.objects.get(verb="comment.restored").data == {"reason": "Sachliche Kritik"}
    # The settled reports do not hide it again; three new ones do.
    services.report_comment(CitizenFactory(), comment, "Immer noch Spam")
    comment.refresh_from_db()
    assert not comment.is_hidden
    for reporter in CitizenFactory.create_batch(2):
        services.report_comment(reporter, comment, "Spam")
    comment.refresh_from_db()
    assert comment.is_hidden


def test_a_moderator_confirms_a_comment_hidden_by_reports(comment, author, lead):
    for reporter in CitizenFactory.create_batch(3):
        services.report_comment(reporter, comment, "Spam")

    services.hide_comment(lead, comment, "Werbung")

    comment.refresh_from_db()
    assert comment.hidden_by == lead and not comment.awaits_moderator
    assert Notification.objects.filter(recipient=author, kind="comment_hidden").exists()


def test_restoring_a_visible_comment_is_refused_with_400(client, comment, lead):
    response = signed_in(client, lead).post(
        moderate_url(comment), {"action": "restore", "reason": "?"}
    )

    assert response.status_code == 400
    assert "This comment is not hidden." in response.content.decode()


def test_moderation_needs_a_reason(client, comment, lead):
    response = signed_in(client, lead).post(moderate_url(comment), {"action": "hide", "reason": ""})

    assert response.status_code == 422
    comment.refresh_from_db()
    assert not comment.is_hidden


@pytest.mark.parametrize("factory", [CitizenFactory, EmployeeFactory, ReviewerFactory])
def test_outsiders_cannot_moderate_project_comments(client, comment, factory):
    response = signed_in(client, factory()).post(
        moderate_url(comment), {"action": "hide", "reason": "Weg damit"}
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_the_author_cannot_moderate_their_own_comment(client, comment, author):
    response = signed_in(client, author).post(
        moderate_url(comment), {"action": "hide", "reason": "x"}
    )

    assert response.status_code == 403


def test_anonymous_visitors_cannot_moderate(client, comment):
    response = client.post(moderate_url(comment), {"action": "hide", "reason": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_reviewers_and_administrators_moderate_proposal_comments(client, db):
    proposal_comment = CommentFactory(project=None, proposal=ProposalFactory())
    some_lead = EmployeeFactory()
    ProjectFactory(leads=[some_lead])

    refused = signed_in(client, some_lead).post(
        moderate_url(proposal_comment), {"action": "hide", "reason": "x"}
    )
    assert refused.status_code == 403

    client.force_login(ReviewerFactory())
    assert (
        client.post(moderate_url(proposal_comment), {"action": "hide", "reason": "x"}).status_code
        == 302
    )
    client.force_login(AdminFactory())
    assert (
        client.post(
            moderate_url(proposal_comment), {"action": "restore", "reason": "ok"}
        ).status_code
        == 302
    )
    proposal_comment.refresh_from_db()
    assert not proposal_comment.is_hidden


def test_an_administrator_moderates_any_project(comment):
    services.hide_comment(AdminFactory(), comment, "Regelverstoß")

    comment.refresh_from_db()
    assert comment.is_hidden


def test_htmx_moderation_answers_with_the_section(client, comment, lead):
    response = signed_in(client, lead).post(
        moderate_url(comment), {"action": "hide", "reason": "Spam"}, headers={"HX-Request": "true"}
    )

    section = response.content.decode()
    assert response.status_code == 200
    assert "The comment is hidden" in section
    assert "Hidden by Lena Lead: Spam" in section
