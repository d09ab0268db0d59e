"""An assessment drawn before the strands were split (one draw by the S&T office over both) upgrades to
one StrandDraw per strand with the same seed and time: its record set, sample and state unchanged."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scoring", "0004_rectification_days"), ("accounts", "0002_notification")]
AFTER = [("scoring", "0005_strand_draws_and_corrections"), ("accounts", "0003_alter_user_role")]


@pytest.mark.django_db(transaction=True)
def test_a_single_draw_becomes_one_draw_per_strand():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    University = old.get_model("accounts", "University")
    Assessment = old.get_model("scoring", "Assessment")
    university = University.objects.create(name="迁移测试学院")
    frozen_at = dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC)
    drawn = Assessment.objects.create(
        university=university, year=2025, status="spot_check", spot_seed=424242, frozen_at=frozen_at
    )
    still_open = Assessment.objects.create(university=university, year=2026)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    StrandDraw = new.get_model("scoring", "StrandDraw")
    draws = sorted(
        StrandDraw.objects.filter(assessment_id=drawn.pk).values_list("category", "seed", "drawn_at")
    )
    assert draws == [("humanities", 424242, frozen_at), ("science", 424242, frozen_at)]
    assert not StrandDraw.objects.filter(assessment_id=still_open.pk).exists()
    after = new.get_model("scoring", "Assessment").objects.get(pk=drawn.pk)
    assert (after.status, after.spot_seed, after.frozen_at) == ("spot_check", 424242, frozen_at)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for the other tests


@pytest.mark.django_db(transaction=True)
def test_an_assessment_opened_before_the_new_team_setting_keeps_its_teams():
    before, after = [("scoring", "0007_result_left_out")], [("scoring", "0008_new_team_days")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    university = old.get_model("accounts", "University").objects.create(name="迁移测试学院二")
    opened = old.get_model("scoring", "Assessment").objects.create(university=university, year=2026)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    assert new.get_model("scoring", "Assessment").objects.get(pk=opened.pk).new_team_days == 0

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
