"""Marking notifications read through the API: the user's own only, and an empty selection marks none."""

import pytest

from accounts.models import Notification
from tests.accounts.test_notifications import _note
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory

pytestmark = pytest.mark.django_db


def test_through_the_api_ids_mark_those_none_marks_all_and_an_empty_list_marks_nothing(api):
    user = EnterpriseUserFactory()
    first, second, _third = (_note(user, title) for title in ("一", "二", "三"))
    theirs = _note(TeamMemberUserFactory(), "别人的")
    url = "/api/v1/notifications/read/"
    assert api(user).post(url, {"ids": []}, format="json").json() == {"count": 0}
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 3
    assert api(user).post(url, {"ids": [first.pk, theirs.pk]}, format="json").json() == {"count": 1}
    first.refresh_from_db(), second.refresh_from_db(), theirs.refresh_from_db()
    assert first.read_at is not None and second.read_at is None and theirs.read_at is None
    bad = api(user).post(url, {"ids": ["abc"]}, format="json")
    assert (
        bad.status_code == 400 and Notification.objects.filter(user=user, read_at__isnull=True).count() == 2
    )
    assert api(user).post(url, {}, format="json").json() == {"count": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None
