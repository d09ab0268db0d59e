"""上报导出: exports read back (JSON lines and xlsx) against the records they came from, bad input
rejected with nothing saved, who may generate and download, pruning."""

import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from demand.models import Need
from engagements.models import Engagement, EngagementRecord
from insights import report_layout as layout
from insights.models import ReportExport
from insights.reports import (
    ReportError,
    report_export_generate,
    report_export_request,
    report_exports_prune,
)
from reference.models import Industry, Region
from teams.achievements import normalise_achievement_key
from teams.models import ServiceRecord
from tests.factories import (
    AgencyFactory,
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    UniversityFactory,
    UserFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db

HOSTILE = "=cmd|' /C calc'!A0"
P_FROM, P_TO = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def at(day: str, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def _need(enterprise, region, status, published, title="需求"):
    return Need.objects.create(
        enterprise=enterprise,
        title=title,
        description="描述",
        industry=enterprise.industry,
        region=Region.objects.get(code=region),
        status=status,
        service_types=["diagnosis", "testing"],
        budget_min=Decimal("5.00"),
        budget_max=Decimal("20.50"),
        published_at=at(published) if published else None,
    )


def _record(team, record_type, title, status="approved", key="", amount=None):
    return ServiceRecord.objects.create(
        team=team,
        record_type=record_type,
        date=dt.date(2026, 3, 20),
        title=title,
        served_organisation="台州某机械公司",
        description="服务情况",
        achievement_key=key,
        normalised_key=normalise_achievement_key(key) if key else "",
        amount_wan=amount,
        status=status,
    )


@pytest.fixture
def world(reference_data):
    """University U (台州) with team T1; another university's team T2. Needs NA..NF, see each line."""
    u = UniversityFactory(region=Region.objects.get(code="3310"))
    t1 = build_valid_team(status="active", college=CollegeFactory(university=u), name_suffix="一队")
    t2 = build_valid_team(status="active", name_suffix="二队")
    industry = Industry.objects.get(code="3553")
    e1 = EnterpriseFactory(industry=industry, region=Region.objects.get(code="331002"))
    e2 = EnterpriseFactory(industry=industry, region=Region.objects.get(code="330102"))
    w = {"u": u, "t1": t1, "t2": t2, "office": StoAdminFactory(university=u)}

    # NA: 台州, resolved by T1 in the period, with records (one draft, not counted).
    w["na"] = _need(e1, "331002", Need.Status.RESOLVED, "2026-03-10", title="高速平缝机减振")
    Need.objects.filter(pk=w["na"].pk).update(resolved_at=at("2026-04-20"), engaged_at=at("2026-03-12"))
    w["ea"] = Engagement.objects.create(
        need=w["na"], team=t1, origin="interest", status="completed", rating=5,
        agreed_at=at("2026-03-12"), started_at=at("2026-03-13"), completed_at=at("2026-04-20"),
    )  # fmt: skip
    w["r_visit"] = _record(t1, "service_visit", "现场诊断")
    w["r_patent"] = _record(t1, "patent", "减振专利", key="ZL 2026 1 0000001.1")
    w["r_transfer"] = _record(t1, "tech_transfer", "成果转化", key="HT-2026-01", amount=Decimal("12.50"))
    w["r_draft"] = _record(t1, "paper", "草稿论文", status="draft", key="10.1000/x")
    for r in (w["r_visit"], w["r_patent"], w["r_transfer"], w["r_draft"]):
        EngagementRecord.objects.create(engagement=w["ea"], record=r)
    # NB: 台州, nobody answered; hostile title.
    w["nb"] = _need(e1, "331002", Need.Status.PUBLISHED, "2026-03-15", title=HOSTILE)
    # NC: 杭州, T1 serving: the office's concern although outside its region.
    w["nc"] = _need(e2, "330102", Need.Status.ENGAGED, "2026-02-01")
    w["ec"] = Engagement.objects.create(
        need=w["nc"], team=t1, origin="invitation", status="in_service", agreed_at=at("2026-02-05")
    )
    # ND: 杭州, T2 (another university) agreed: only the platform sees it.
    w["nd"] = _need(e2, "330102", Need.Status.CLOSED, "2026-02-02")
    Need.objects.filter(pk=w["nd"].pk).update(close_reason="企业自行解决", closed_at=at("2026-03-01"))
    w["ed"] = Engagement.objects.create(
        need=w["nd"], team=t2, origin="assignment", status="agreed", agreed_at=at("2026-02-10")
    )
    # NE: 台州, published before the period; its engagement ended before the period too.
    w["ne"] = _need(e1, "331002", Need.Status.RESOLVED, "2025-12-01")
    Engagement.objects.create(
        need=w["ne"], team=t1, origin="interest", status="completed",
        agreed_at=at("2025-12-02"), completed_at=at("2025-12-20"),
    )  # fmt: skip
    # NF: a draft never published.
    _need(e1, "331002", Need.Status.DRAFT, None)
    for key in ("na", "nb", "nc", "nd"):
        w[key].refresh_from_db()
    return w


def _generate(by, django_capture_on_commit_callbacks, **kwargs):
    params = {"kind": "problems", "period_from": P_FROM, "period_to": P_TO, "region_code": ""}
    with django_capture_on_commit_callbacks(execute=True):
        export = report_export_request(by=by, **{**params, **kwargs})
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE, export.error
    return export


def _jsonl(export):
    with export.jsonl_file.open("rb") as f:
        return [json.loads(line) for line in f.read().decode("utf-8").splitlines()]


def _sheet_dicts(export, index=0):
    with export.xlsx_file.open("rb") as f:
        workbook = load_workbook(io.BytesIO(f.read()))
    rows = list(workbook.worksheets[index].iter_rows(values_only=True))
    return workbook.worksheets[index].title, list(rows[0]), rows[1:]


def _local(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def test_the_problem_library_read_back_matches_the_needs(world, django_capture_on_commit_callbacks):
    export = _generate(world["office"], django_capture_on_commit_callbacks)
    rows = _jsonl(export)

    # NA and NB (its region), NC (its team serves it); not ND (another university), NE, NF (period).
    needs = [world["na"], world["nb"], world["nc"]]
    assert [r["need_id"] for r in rows] == [n.pk for n in needs]
    assert export.rows_count == 3
    for row, need in zip(rows, needs, strict=True):
        assert row["title"] == need.title
        assert row["enterprise_credit_code"] == need.enterprise.credit_code
        assert row["industry_code"] == "3553"
        assert row["region_code"] == need.region.code
        assert row["status"] == need.status
        assert row["published_at"] == _local(need.published_at)
        assert row["published_at"].endswith("+08:00")
        assert row["service_types"] == ["diagnosis", "testing"]
        assert (row["budget_min_wan"], row["budget_max_wan"]) == (5.0, 20.5)
    na, nb, nc = rows
    assert (na["outcome"], na["resolved_at"], na["engaged_teams"]) == (
        "resolved",
        _local(world["na"].resolved_at),
        [world["t1"].name],
    )
    assert (na["engagements_count"], na["rating_avg"], na["engaged_universities"]) == (
        1,
        5.0,
        [world["u"].name],
    )
    assert (nb["outcome"], nb["engaged_teams"], nb["rating_avg"], nb["title"]) == ("open", [], None, HOSTILE)
    assert (nc["outcome"], nc["region_code"]) == ("in_progress", "330102")

    title, headers, cells = _sheet_dicts(export)
    assert title == "问题库"
    assert headers == [c.header for c in layout.PROBLEM_COLUMNS]
    for cells_row, row in zip(cells, rows, strict=True):
        for value, column in zip(cells_row, layout.PROBLEM_COLUMNS, strict=True):
            expected = row[column.key]
            if column.type == "list":
                expected = "；".join(expected) or None
            if expected == HOSTILE:
                expected = "'" + HOSTILE  # shown as text, never run as a formula
            assert value == expected, column.key


def test_the_project_library_read_back_matches_engagements_and_records(
    world, django_capture_on_commit_callbacks
):
    export = _generate(world["office"], django_capture_on_commit_callbacks, kind="projects", region_code="33")
    rows = _jsonl(export)

    # EA (completed after the period, but under way in it) and EC (T1, in service); not ED (T2), not NE's.
    assert [r["engagement_id"] for r in rows] == [world["ea"].pk, world["ec"].pk]
    ea, ec = rows
    assert (ea["need_id"], ea["team_name"], ea["university_name"]) == (
        world["na"].pk,
        world["t1"].name,
        world["u"].name,
    )
    assert (ea["status"], ea["rating"], ea["completed_at"]) == (
        "completed",
        5,
        _local(world["ea"].completed_at),
    )
    # The draft paper is not counted; the patent and the transfer are achievements, the visit is not.
    assert [r["record_id"] for r in ea["records"]] == sorted(
        [world["r_visit"].pk, world["r_patent"].pk, world["r_transfer"].pk]
    )
    assert (ea["records_count"], ea["achievements_count"], ea["amount_wan_total"]) == (3, 2, 12.5)
    by_id = {r["record_id"]: r for r in ea["records"]}
    assert by_id[world["r_patent"].pk]["achievement_key"] == "ZL 2026 1 0000001.1"
    assert by_id[world["r_visit"].pk]["is_achievement"] == 0
    assert by_id[world["r_transfer"].pk]["amount_wan"] == 12.5
    assert (ec["status"], ec["records"], ec["amount_wan_total"], ec["origin"]) == (
        "in_service",
        [],
        None,
        "invitation",
    )

    title, headers, cells = _sheet_dicts(export)
    assert (title, headers) == ("项目库", [c.header for c in layout.PROJECT_COLUMNS])
    assert [dict(zip([c.key for c in layout.PROJECT_COLUMNS], r, strict=True)) for r in cells] == [
        {k: v for k, v in row.items() if k != "records"} for row in rows
    ]
    title, headers, cells = _sheet_dicts(export, 1)
    assert (title, headers) == ("服务记录与成果", [c.header for c in layout.RECORD_COLUMNS])
    keys = [c.key for c in layout.RECORD_COLUMNS]
    expected = [{"engagement_id": world["ea"].pk, **r} for r in ea["records"]]
    assert [dict(zip(keys, r, strict=True)) for r in cells] == [
        {k: (None if v == "" else v) for k, v in r.items()} for r in expected
    ]


def test_the_platform_exports_every_university_and_a_region_narrows_it(
    world, django_capture_on_commit_callbacks
):
    admin = UserFactory(role=Role.PLATFORM_ADMIN)
    everything = _jsonl(_generate(admin, django_capture_on_commit_callbacks))
    assert [r["need_id"] for r in everything] == [world[k].pk for k in ("na", "nb", "nc", "nd")]
    nd = everything[3]
    assert (nd["outcome"], nd["close_reason"], nd["engaged_teams"]) == (
        "closed",
        "企业自行解决",
        [world["t2"].name],
    )
    taizhou = _jsonl(_generate(admin, django_capture_on_commit_callbacks, region_code="3310"))
    assert [r["need_id"] for r in taizhou] == [world["na"].pk, world["nb"].pk]
    projects = _jsonl(
        _generate(admin, django_capture_on_commit_callbacks, kind="projects", formats=["jsonl"])
    )
    assert [r["engagement_id"] for r in projects] == [world["ea"].pk, world["ec"].pk, world["ed"].pk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_from": dt.date(2026, 4, 1)}, "起始日期不能晚于截止日期"),
        ({"period_to": timezone.localdate() + dt.timedelta(days=1)}, "截止日期不能晚于今天"),
        ({"period_from": dt.date(2020, 1, 1)}, "不能超过三年"),
        ({"period_from": dt.date(1999, 12, 31), "period_to": dt.date(2000, 1, 31)}, "不能早于"),
        ({"region_code": "999999"}, "未知的地区代码"),
        ({"formats": []}, "至少选择一种格式"),
        ({"formats": ["xlsx", "pdf"]}, "至少选择一种格式"),
        ({"kind": "everything"}, "导出类型"),
        ({"period_to": "2026-03-31"}, "起始日期和截止日期"),
    ],
)
def test_it_rejects_bad_input_and_saves_nothing(world, changes, message, django_capture_on_commit_callbacks):
    params = {"kind": "problems", "period_from": P_FROM, "period_to": P_TO, "region_code": "", **changes}
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ReportError, match=message):
        report_export_request(by=world["office"], **params)
    assert ReportExport.objects.count() == 0


def test_the_page_shows_a_chinese_error_and_saves_nothing(client, world):
    client.force_login(world["office"])
    response = client.post(
        reverse("reports:list"),
        {"kind": "problems", "period_from": "2026-04-01", "period_to": "2026-03-01", "formats": ["xlsx"]},
    )
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期" in response.content.decode()
    response = client.post(reverse("reports:list"), {"kind": "problems", "period_from": "不是日期"})
    assert response.status_code == 400
    assert ReportExport.objects.count() == 0


def test_the_office_generates_and_downloads_on_the_page(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["office"])
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200 and 'value="3310"' in page.content.decode()  # its region by default
    # the region is picked by name (a cascade of 省 › 市 › 区县), not typed as a code
    assert 'class="cascade' in page.content.decode() and "地区代码" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:list"),
            {"kind": "projects", "period_from": "2026-01-01", "period_to": "2026-03-31", "region_code": "",
             "formats": ["xlsx", "jsonl"]},
        )  # fmt: skip
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert (export.status, export.rows_count, export.university) == ("done", 2, world["u"])
    listing = client.get(reverse("reports:list")).content.decode()
    assert reverse("reports:download", args=[export.pk, "jsonl"]) in listing
    download = client.get(reverse("reports:download", args=[export.pk, "jsonl"]))
    assert download.status_code == 200
    assert "filename*=utf-8''%e9%a1%b9%e7%9b%ae%e5%ba%93" in download["Content-Disposition"].lower()  # 项目库
    lines = b"".join(download.streaming_content).decode("utf-8").splitlines()
    assert [json.loads(line)["engagement_id"] for line in lines] == [world["ea"].pk, world["ec"].pk]


def test_who_may_generate_and_download(client, world, django_capture_on_commit_callbacks):
    export = _generate(world["office"], django_capture_on_commit_callbacks)
    url = reverse("reports:download", args=[export.pk, "xlsx"])
    outsiders = [
        StoAdminFactory(),  # another university's office
        EnterpriseUserFactory(),
        CollegeAdminFactory(college=CollegeFactory(university=world["u"])),
        UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory()),
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert str(export.pk) not in re.findall(
        r"/reports/(\d+)/", client.get(reverse("reports:list")).content.decode()
    )
    for user in outsiders[1:]:
        client.force_login(user)
        assert client.get(reverse("reports:list")).status_code == 403
        with pytest.raises(PermissionDenied):
            report_export_request(by=user, kind="problems", period_from=P_FROM, period_to=P_TO)
    client.force_login(outsiders[0])
    assert client.get(reverse("reports:list")).status_code == 200  # its own (empty) list
    for user in (StoAdminFactory(university=world["u"]), UserFactory(role=Role.PLATFORM_ADMIN)):
        client.force_login(user)
        assert client.get(url).status_code == 200
    assert client.get(reverse("reports:download", args=[export.pk, "pdf"])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert ReportExport.objects.count() == 1


def test_generation_runs_once_and_old_exports_are_pruned(world, django_capture_on_commit_callbacks):
    exports = [_generate(world["office"], django_capture_on_commit_callbacks) for _ in range(3)]
    assert report_export_generate(export_id=exports[0].pk) is None  # already done: nothing happens
    oldest = Path(exports[0].xlsx_file.path)
    assert oldest.exists()
    other = _generate(UserFactory(role=Role.PLATFORM_ADMIN), django_capture_on_commit_callbacks)

    assert report_exports_prune(university_id=world["u"].pk, keep=2) == 1
    assert not oldest.exists()
    assert set(ReportExport.objects.values_list("pk", flat=True)) == {exports[1].pk, exports[2].pk, other.pk}


def test_the_layout_document_lists_every_column_in_order():
    text = (Path(layout.__file__).parent / "REPORT_LAYOUT.md").read_text(encoding="utf-8")
    sections = {title: text[text.index(f"## {title}") :] for title in ("问题库", "项目库", "服务记录与成果")}
    for title, columns in (
        ("问题库", layout.PROBLEM_COLUMNS),
        ("项目库", layout.PROJECT_COLUMNS),
        ("服务记录与成果", layout.RECORD_COLUMNS),
    ):
        section = sections[title].split("\n## ")[0]
        positions = [section.find(f"| `{c.key}` | {c.header} |") for c in columns]
        assert -1 not in positions, [c.key for c, p in zip(columns, positions, strict=True) if p == -1]
        assert positions == sorted(positions)


def test_a_failed_generation_is_recorded_with_no_files(world):
    # A row the services would never write (its kind has no builder): the task must not half-finish.
    export = ReportExport.objects.create(
        kind="bogus", period_from=P_FROM, period_to=P_TO, formats=["xlsx", "jsonl"], university=world["u"]
    )
    assert report_export_generate(export_id=export.pk) is None
    export.refresh_from_db()
    assert (export.status, export.rows_count) == ("failed", None)
    assert "生成时出错" in export.error
    assert not export.xlsx_file and not export.jsonl_file
    assert report_export_generate(export_id=export.pk) is None  # a failed export is not retried silently


def test_a_redelivered_task_finishes_the_export_its_dead_worker_left_running(world):
    # given an export a task claimed (生成中) before its worker died, writing nothing
    export = ReportExport.objects.create(
        kind="problems", period_from=P_FROM, period_to=P_TO, formats=["jsonl"], university=world["u"]
    )
    ReportExport.objects.filter(pk=export.pk).update(status="running", claimed_by="task-1")

    # then another task for it does nothing, and the redelivery of the same task builds it
    assert report_export_generate(export_id=export.pk, claim="task-2") is None
    assert report_export_generate(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.status == "running" and not export.jsonl_file
    built = report_export_generate(export_id=export.pk, claim="task-1")
    assert built is not None and built.status == "done" and built.jsonl_file
    # once done, even that task's id changes nothing
    assert report_export_generate(export_id=export.pk, claim="task-1") is None


def test_the_task_claims_the_export_with_its_own_id(world):
    from insights.tasks import report_export_generate_task

    export = ReportExport.objects.create(
        kind="problems", period_from=P_FROM, period_to=P_TO, formats=["jsonl"], university=world["u"]
    )
    result = report_export_generate_task.apply(args=[export.pk])
    export.refresh_from_db()
    assert (export.status, export.claimed_by) == ("done", result.id)
