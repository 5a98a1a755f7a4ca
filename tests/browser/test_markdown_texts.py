"""A project page whose texts use Markdown lists, links and emphasis still passes axe."""

import pytest

from marketplace.models import ProjectUpdate
from tests.conftest import assert_accessible
from tests.factories import EmployeeFactory, ProjectFactory, RoleFactory

TEXT = (
    "Wir suchen:\n"
    "- Menschen mit *Geduld*\n"
    "- Menschen mit **Humor**\n\n"
    "Ablauf:\n"
    "1. Kennenlernen\n"
    "2. [Ausprobieren](https://www.berlin.de/)\n\n"
    "Fragen an `team@example.org` oder <mailto:team@example.org>"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_project_page_with_lists_links_and_emphasis_passes_axe(live_server, page):
    project = ProjectFactory(description=TEXT)
    RoleFactory(project=project, description=TEXT)
    ProjectUpdate.objects.create(project=project, title="Neu", text=TEXT, author=EmployeeFactory())

    page.goto(live_server.url + project.get_absolute_url())

    assert page.locator(".prose ul li em", has_text="Geduld").count() == 3
    assert page.locator('.prose a[href="https://www.berlin.de/"]').count() == 3
    assert_accessible(page)
