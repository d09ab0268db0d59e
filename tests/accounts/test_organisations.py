import pytest
from django.core.exceptions import ValidationError

from accounts.models import College, Role, User
from tests.factories import (
    CollegeFactory,
    EnterpriseFactory,
    IndustryFactory,
    RegionFactory,
    UniversityFactory,
)

pytestmark = pytest.mark.django_db


def test_a_college_needs_a_university():
    college = College(name="人文学院")
    with pytest.raises(ValidationError) as exc:
        college.full_clean()
    assert "university" in exc.value.message_dict


def test_a_duplicate_college_in_one_university_is_refused():
    university = UniversityFactory()
    CollegeFactory(university=university, name="商学院")
    with pytest.raises(ValidationError):
        College(university=university, name="商学院").full_clean()


def test_an_invalid_credit_code_is_refused_by_the_model():
    # Industry and region through their get-or-create factories: the session's reference data may
    # already hold these codes (the test then runs the same in any order).
    enterprise = EnterpriseFactory.build(
        credit_code="914403001922038217", industry=IndustryFactory(), region=RegionFactory()
    )
    with pytest.raises(ValidationError) as exc:
        enterprise.full_clean()
    assert "校验位不正确" in str(exc.value.message_dict["credit_code"])


def test_a_role_must_have_its_organisation_and_no_other():
    user = User(username="x", role=Role.ENTERPRISE)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "enterprise" in exc.value.message_dict
    user = User(
        username="y", role=Role.COLLEGE_ADMIN, college=CollegeFactory(), enterprise=EnterpriseFactory()
    )
    with pytest.raises(ValidationError) as exc:
        user.full_clean(exclude=["password"])
    assert "enterprise" in exc.value.message_dict
