"""The demo's assignments and 人岗匹配 are built through the real services, in every state, once."""

from datetime import timedelta

import pytest

from demo.services import demo_world_build
from demo.talent import demo_talent_build
from engagements.models import Assignment
from talent.models import Application, Opening, StudentProfile

pytestmark = pytest.mark.django_db


def test_demo_talent_and_assignments_are_built_once(reference_data):
    demo_world_build()
    first = demo_talent_build()
    assert first == {"students": 4, "openings": 2, "applications": 2, "assignments": 4}
    statuses = sorted(Assignment.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "declined", "escalated", "pending"]
    assert Assignment.objects.get(status="accepted").engagement.origin == "assignment"
    # answered hours after being made, so the response-time figures are not all zero
    waits = {
        a.status: a.responded_at - a.created_at for a in Assignment.objects.filter(responded_at__isnull=False)
    }
    assert waits == {"accepted": timedelta(hours=6), "declined": timedelta(hours=27)}
    accepted = Application.objects.get(status="accepted")
    assert accepted.record.record_type == "agreement_internship" and accepted.record.status == "draft"
    assert Opening.objects.filter(kind="internship").get().enterprise is not None
    assert demo_talent_build() == {"students": 0, "openings": 0, "applications": 0, "assignments": 0}
    assert StudentProfile.objects.count() == 4 and Assignment.objects.count() == 4
