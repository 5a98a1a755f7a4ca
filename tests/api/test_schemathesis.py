"""Schemathesis against a live server, from the portal's own OpenAPI description.

Every operation gets bounded generated requests, once with values that keep to
the description and once with values that break it; none may end in a server error, an undocumented status or content
type, or an answer that its schema does not describe.
"""

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from marketplace.models import ProjectUpdate
from tests.factories import ProjectFactory, PublicRoleFactory, RoleFactory, TopicFactory
from tests.factories_participation import ProposalFactory
from workload import snapshots

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def api_schema(live_server, transactional_db, settings):
    # Hundreds of requests from one address: the rate limit has its own test.
    settings.API_REQUESTS_PER_MINUTE = 100_000
    project = ProjectFactory(slug="offene-daten")
    project.topics.set([TopicFactory()])
    RoleFactory(project=project)
    PublicRoleFactory(project=project)
    ProjectUpdate.objects.create(project=project, title="Los", text="Es geht los.")
    ProjectFactory(is_internal=True, internal_reason="Intern.")
    ProposalFactory()
    snapshots.take_snapshot(date(2026, 11, 1))
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


def test_the_api_keeps_to_its_own_description(api_schema):
    """Each operation in turn (the pytest plugin of schemathesis does not run on pytest 9)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 5
    runs = [
        (operation, mode)
        for operation in operations
        for mode in GenerationMode
        # Without parameters there is nothing to break.
        if mode is GenerationMode.POSITIVE or list(operation.iter_parameters())
    ]
    for operation, mode in runs:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def keeps_to_it(case):
            case.call_and_validate()

        keeps_to_it()
