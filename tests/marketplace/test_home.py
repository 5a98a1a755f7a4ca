"""The home page: what the portal is, live figures, the newest projects, the way in."""

from marketplace import counts_cache
from marketplace.models import Project
from tests.factories import ProjectFactory, PublicRoleFactory, RoleFactory


def test_home_shows_live_figures(client, db):
    open_project = ProjectFactory(status="open")
    RoleFactory.create_batch(2, project=open_project)
    PublicRoleFactory(project=open_project)
    RoleFactory(project=ProjectFactory(status="draft", published_at=None))
    RoleFactory(project=ProjectFactory(status="completed"), is_open=True)
    response = client.get("/")
    figures = response.context["figures"]
    assert figures == {"open_projects": 1, "open_roles": 3, "people_taking_part": 1}


def test_home_lists_the_newest_published_projects_but_no_drafts(client, db):
    ProjectFactory(title="Veröffentlicht")
    ProjectFactory(title="Entwurf", status="draft", published_at=None)
    page = client.get("/").content.decode()
    assert "Veröffentlicht" in page
    assert "Entwurf" not in page
    assert 'href="/participate/"' in page
    assert 'href="/projects/"' in page


def test_a_draft_cancelled_before_publication_is_not_among_the_newest(client, db):
    ProjectFactory(title="Veröffentlicht")
    ProjectFactory(title="Nie veröffentlicht", status="cancelled", published_at=None)
    page = client.get("/").content.decode()
    assert "Veröffentlicht" in page
    assert "Nie veröffentlicht" not in page


def test_home_hides_the_summary_of_internal_projects_from_the_public(client, db, employee):
    ProjectFactory(is_internal=True, internal_reason="Intern.", summary="Geheime Zusammenfassung")
    assert "Geheime Zusammenfassung" not in client.get("/").content.decode()
    client.force_login(employee)
    assert "Geheime Zusammenfassung" in client.get("/").content.decode()


def test_home_costs_the_same_queries_with_few_or_many_projects(
    client, db, django_assert_num_queries
):
    ProjectFactory.create_batch(2)
    with django_assert_num_queries(4) as few:
        client.get("/")
    Project.objects.bulk_create(
        Project(title=f"Viele {n}", slug=f"viele-{n}", status="open", summary="s")
        for n in range(300)
    )
    # bulk_create sends no signals: drop the cached figures so they are counted again.
    counts_cache.invalidate()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/")
