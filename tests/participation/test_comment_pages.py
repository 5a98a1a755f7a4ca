"""Comments come newest first, twenty at a time, with links to the older and newer ones."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ProjectFactory
from tests.factories_participation import CommentFactory, CommentReportFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def comments_of(target, count):
    start = timezone.now() - datetime.timedelta(days=1)
    where = (
        {"proposal": target, "project": None}
        if hasattr(target, "proposer")
        else {"project": target}
    )
    return [
        CommentFactory(
            **where,
            body=f"Beitrag {index}",
            created_at=start + datetime.timedelta(minutes=index),
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("kind", ["project", "proposal"])
def test_the_newest_twenty_come_first_and_the_rest_behind_a_link(client, kind):
    target = ProjectFactory(status="open") if kind == "project" else ProposalFactory()
    comments_of(target, 25)
    CommentReportFactory.create_batch(2, comment=target.comments.order_by("created_at").last())

    first = client.get(target.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    shown = [comment.body for comment in first.context["comments"]]
    assert shown == [f"Beitrag {index}" for index in range(24, 4, -1)]
    assert first.context["comments"][0].report_count == 2
    html = first.content.decode()
    assert "(25)" in html
    older = f"{target.get_absolute_url()}?comments=2#comments"
    assert f'href="{older}" rel="next"' in html and "Older comments" in html

    second = client.get(older.split("#")[0], HTTP_ACCEPT_LANGUAGE="en")
    assert [c.body for c in second.context["comments"]] == [
        f"Beitrag {i}" for i in range(4, -1, -1)
    ]
    assert "Newer comments" in second.content.decode()
    assert "Older comments" not in second.content.decode()


@pytest.mark.parametrize("number", ["abc", "0", "99", "99999999999999999999999"])
def test_a_page_number_that_names_no_page_is_not_found(client, number):
    project = ProjectFactory(status="open")
    comments_of(project, 3)
    response = client.get(f"{project.get_absolute_url()}?comments={number}")
    assert response.status_code == 404
    assert client.get(f"{project.get_absolute_url()}?comments=1").status_code == 200
