"""The notification centre: unread first, mark one or all read (one's own only), the unread count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return EnterpriseUserFactory()


def _note(user, title, *, minutes_ago=0, read=False, **fields):
    note = Notification.objects.create(user=user, kind="x", title=title, **fields)
    Notification.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )
    return note


def test_unread_come_first_then_newest(client, user):
    _note(user, "旧的已读", minutes_ago=1, read=True)
    _note(user, "旧的未读", minutes_ago=30)
    _note(user, "新的未读", minutes_ago=5)
    _note(TeamMemberUserFactory(), "别人的通知")
    client.force_login(user)
    response = client.get(reverse("notifications:list"))
    assert [n.title for n in response.context["page"]] == ["新的未读", "旧的未读", "旧的已读"]
    html = response.content.decode()
    assert "未读 2 条" in html and "别人的通知" not in html


def test_mark_one_then_all_read_and_the_count_follows(client, user):
    first = _note(user, "一")
    _note(user, "二")
    _note(user, "三", read=True)
    client.force_login(user)
    assert client.get(reverse("notifications:unread")).json() == {"unread": 2}
    client.post(reverse("notifications:mark_read"), {"id": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}
    client.post(reverse("notifications:mark_read"))
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    assert "全部标为已读" not in client.get(reverse("notifications:list")).content.decode()


def test_another_users_notification_cannot_be_marked(client, user):
    theirs = _note(TeamMemberUserFactory(), "别人的")
    client.force_login(user)
    client.post(reverse("notifications:mark_read"), {"id": theirs.pk})
    client.post(reverse("notifications:mark_read"))  # "all" means all of mine
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_pages_need_a_login_and_marking_is_post_only(client, user):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.post(reverse("notifications:mark_read")).status_code == 302
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}
    client.force_login(user)
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    assert "no-cache" in client.get(reverse("notifications:unread"))["Cache-Control"]


def test_text_is_escaped_and_only_links_inside_the_platform_are_followed(client, user):
    _note(user, "<script>alert(1)</script>", body="<img src=x onerror=alert(1)>", link="javascript:alert(1)")
    _note(user, "外站", link="//evil.example.com/")
    _note(user, "站内", link="/needs/3/")
    client.force_login(user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert "javascript:alert(1)" not in html and "evil.example.com" not in html
    assert 'href="/needs/3/"' in html


@pytest.mark.parametrize("odd", ["²", "9" * 40, "abc", "-1"])
def test_an_id_that_is_not_one_marks_nothing(client, user, odd):
    """It once fell through to "mark all" (no valid id left) or crashed on int("²")."""
    _note(user, "一")
    client.force_login(user)
    response = client.post(reverse("notifications:mark_read"), {"id": odd}, follow=True)
    assert response.status_code == 200
    assert "通知编号无效，未作任何更改" in response.content.decode()
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}
