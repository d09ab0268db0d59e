"""Fixtures shared by the whole suite."""

import pytest

# --- Reference data (行业、行政区划、学科) -------------------------------------------------------------


@pytest.fixture(scope="session")
def _reference_data_session(django_db_setup, django_db_blocker):
    """Load the full reference taxonomies once per session, committed, so every test can see them."""
    from reference.loaders import load_all

    with django_db_blocker.unblock():
        return load_all()


@pytest.fixture
def reference_data(_reference_data_session, db):
    """The full reference data (1971 industries, 3351 regions, 67 + 2916 disciplines); returns load_all's counts.

    Loaded once per session (about a second); if a transactional test has flushed the tables since, it is
    loaded again for this test.
    """
    from reference.loaders import load_all
    from reference.models import Discipline, Industry, Region

    counts = _reference_data_session
    if (
        Industry.objects.count() < counts["industry"]["total"]
        or Region.objects.count() < counts["region"]["total"]
        or Discipline.objects.count() < counts["discipline_csl"]["total"] + counts["discipline_nsfc"]["total"]
    ):
        load_all()
    return counts
