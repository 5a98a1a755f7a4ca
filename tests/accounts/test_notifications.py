"""accounts.notify writes one row per recipient and event, inside the caller's transaction."""

import pytest
from django.db import transaction
from django.utils import translation

import accounts
from accounts.models import Notification
from accounts.notifications import message_of
from tests.factories import CitizenFactory, EmployeeFactory


def test_notify_writes_one_row_per_recipient_and_ignores_repeats(db):
    lead, other = EmployeeFactory(), EmployeeFactory()
    data = {"applicant": "Clara", "role": "Tester", "project": "E-Akte"}
    accounts.notify(
        [lead, other, lead], "application_received", "application:1:received", "/me/", **data
    )
    accounts.notify([lead], "application_received", "application:1:received", "/me/", **data)
    assert Notification.objects.filter(recipient=lead).count() == 1
    assert Notification.objects.count() == 2


def test_notifications_are_rolled_back_with_the_change_that_caused_them(db):
    citizen = CitizenFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        accounts.notify([citizen], "comment_hidden", "comment:1:hidden", reason="Spam")
        raise RuntimeError("the service failed")
    assert not Notification.objects.exists()


def test_the_message_is_rendered_in_the_readers_language(db):
    citizen = CitizenFactory()
    accounts.notify([citizen], "comment_hidden", "comment:1:hidden", reason="Spam")
    notification = Notification.objects.get()
    with translation.override("en"):
        assert message_of(notification) == "Your comment was hidden by a moderator: Spam"


def test_a_message_with_missing_data_falls_back_to_the_kind(db):
    citizen = CitizenFactory()
    accounts.notify([citizen], "comment_hidden", "comment:2:hidden")
    with translation.override("en"):
        assert message_of(Notification.objects.get()) == "Comment hidden"
