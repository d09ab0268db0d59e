import shutil
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from config.celery import app as celery_app
from reference.loaders import FIXTURES_DIR
from reference.models import Industry, Region
from reference.tasks import reference_load_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_fixtures(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, target)
    path = target / "regions_counties.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[99] = lines[99].replace("130434", "13043X")
    path.write_text("\n".join(lines), encoding="utf-8")
    return target


def test_load_reference_prints_the_counts_in_chinese(reference_data):
    out = StringIO()
    call_command("load_reference", stdout=out)
    text = out.getvalue()
    assert "参考数据已载入" in text
    assert "行业（GB/T 4754-2017）：1971 条（门类 20、大类 97、中类 473、小类 1381；新增 0，更新 0）" in text
    assert "行政区划：3351 条（省级 31、地级 342、县级 2978" in text
    assert "学科（CSL 一级学科）：67 条" in text
    assert "学科（国家自然科学基金申请代码）：2916 条" in text
    assert Industry.objects.count() == 1971


def test_load_reference_refuses_bad_data(reference_data, broken_fixtures):
    with pytest.raises(CommandError, match="regions_counties.csv 第 100 行：区划代码“13043X”应为 6 位数字"):
        call_command("load_reference", "--dir", str(broken_fixtures))


def test_load_reference_exits_non_zero_on_bad_data(reference_data, broken_fixtures, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, the test's own included; keep it open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    before = Region.objects.count()
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "load_reference", "--dir", str(broken_fixtures)]).execute()
    assert exc.value.code != 0
    err = capsys.readouterr().err
    assert "参考数据有误，未写入任何数据" in err
    assert "regions_counties.csv 第 100 行" in err
    assert Region.objects.count() == before


def test_the_task_runs_inline_and_returns_the_counts(reference_data, settings):
    assert celery_app.conf.task_always_eager
    assert reference_load_task.acks_late
    counts = reference_load_task.delay().get(timeout=60)
    assert counts["industry"]["total"] == 1971
    assert counts["region"]["total"] == 3351
    assert counts["discipline_csl"]["total"] == 67
    assert counts["discipline_nsfc"]["total"] == 2916
    assert all(value["created"] == 0 and value["updated"] == 0 for value in counts.values())
    # The task is registered under a stable name for the beat schedule and for workers.
    assert celery_app.tasks["reference.load_reference"].name == reference_load_task.name
