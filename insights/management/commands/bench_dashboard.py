"""python manage.py bench_dashboard [--needs 100000] [--repeat 5] [--region 33]

Fills N synthetic needs (bulk_create) across the counties of a province, with recommendations and
engagements, times every dashboard selector for a province viewer and for the whole country, and prints
JSON (median and best milliseconds per query). By default everything it writes happens inside one
transaction that is rolled back at the end, so the database is left exactly as it was, even when the run
is interrupted. With --commit the rows are committed, the tables vacuumed and analysed as on a live
table (uncommitted rows are slower to read), and deleted again at the end, also on error; use a scratch
database for that. The rows are marked either way (names start with “基准测试”). Meant for PostgreSQL.
"""

import json
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import College, Enterprise, University
from demand.models import Need, ServiceType
from engagements.models import Engagement
from insights import dashboard
from insights.dashboard_filters import NO_FILTERS, parse_filters, scope_of_region
from matching.models import NeedMatchFacts, Recommendation
from reference.models import Industry, Region
from teams.models import Team

MARK = "基准测试"
BATCH = 5000


class _Rollback(Exception):
    pass


def _fill(n: int, province: str, seed: int) -> dict:
    """The synthetic world: N needs over the province's counties and all 小类, 24 months back."""
    rng = random.Random(seed)
    counties = list(
        Region.objects.filter(code__startswith=province, level=Region.Level.COUNTY).values_list(
            "pk", flat=True
        )
    )
    classes = list(Industry.objects.filter(level=Industry.Level.CLASS).values_list("pk", flat=True))
    if not counties or not classes:
        raise CommandError("缺少参考数据：请先运行 python manage.py load_reference。")
    # A few industries carry most of the demand, as in a real province.
    weights = [rng.paretovariate(1.2) for _ in classes]
    university = University.objects.create(name=f"{MARK}大学")
    college = College.objects.create(university=university, name=f"{MARK}学院")
    teams = Team.objects.bulk_create(
        Team(name=f"{MARK}小分队{i}", college=college, work_mode="enterprise_centre", theme="smart_manufacturing",
             category="science", status="active")
        for i in range(50)
    )  # fmt: skip
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"{MARK}企业{i}", credit_code=f"BENCH{i:013d}", industry_id=rng.choice(classes),
                   region_id=rng.choice(counties), status="approved")
        for i in range(500)
    )  # fmt: skip
    now = timezone.now()
    statuses = ["published"] * 45 + ["engaged"] * 20 + ["resolved"] * 20 + ["closed"] * 8 + ["expired"] * 7
    kinds = list(ServiceType.values)
    needs = []
    for i in range(n):
        status = rng.choice(statuses)
        published = now - timedelta(days=rng.uniform(0, 730))
        engaged = (
            published + timedelta(days=rng.uniform(2, 60)) if status in ("engaged", "resolved") else None
        )
        resolved = engaged + timedelta(days=rng.uniform(20, 200)) if status == "resolved" else None
        budget = Decimal(rng.choice([5, 10, 20, 50, 100, 200]))
        needs.append(
            Need(
                enterprise=rng.choice(enterprises), title=f"{MARK}需求{i}", description="基准测试用的需求描述",
                industry_id=rng.choices(classes, weights)[0], region_id=rng.choice(counties),
                service_types=rng.sample(kinds, 2), budget_max=budget, status=status, published_at=published,
                engaged_at=engaged, resolved_at=resolved,
            )
        )  # fmt: skip
    recommended = [need for need in needs if rng.random() < 0.7]
    # as matching stamps it, in its own table: minutes to a day or two after publication
    first_recommended = [need.published_at + timedelta(hours=rng.uniform(0.05, 48)) for need in recommended]
    for start in range(0, n, BATCH):
        Need.objects.bulk_create(needs[start : start + BATCH])
    NeedMatchFacts.objects.bulk_create(
        [
            NeedMatchFacts(need=need, first_recommended_at=at)
            for need, at in zip(recommended, first_recommended, strict=True)
        ],
        batch_size=BATCH,
    )
    recommendations, engagements = [], []
    for need in recommended:
        team = rng.choice(teams)
        recommendations.append(
            Recommendation(
                need=need, team=team, rank=rng.randint(1, 10), score=rng.random(), model_version="bench"
            )
        )
        if rng.random() < 0.15 and need.engaged_at is None:
            engagements.append(Engagement(need=need, team=team, origin="interest", status="proposed"))
    Recommendation.objects.bulk_create(recommendations, batch_size=BATCH)
    Engagement.objects.bulk_create(engagements, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = (Need, NeedMatchFacts, Recommendation, Engagement, Region, Industry)
            for table in (model._meta.db_table for model in tables):
                cursor.execute(f"ANALYZE {table}")  # fresh statistics, as autovacuum would give a real table
    return {"needs": n, "recommendations": len(recommendations), "engagements": len(engagements)}


def _delete_marked() -> None:
    needs = Need.objects.filter(enterprise__name__startswith=MARK)
    Engagement.objects.filter(need__in=needs).delete()
    Recommendation.objects.filter(need__in=needs).delete()
    needs.delete()
    Enterprise.objects.filter(name__startswith=MARK).delete()
    Team.objects.filter(name__startswith=MARK).delete()
    College.objects.filter(name__startswith=MARK).delete()
    University.objects.filter(name__startswith=MARK).delete()


def _vacuum() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Need, Recommendation, Engagement, Region, Industry):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def _time(fn, repeat: int) -> dict:
    runs = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(runs), 1), "best_ms": round(min(runs), 1), "result": result}


def _measure(report: dict, *, needs: int, repeat: int, region: str, seed: int) -> None:
    province = scope_of_region(region)
    country = scope_of_region("")
    manufacturing = parse_filters({"industry": "C"})
    # The county level: the region's own city, or its first one.
    first = Region.objects.filter(code__startswith=region, level=Region.Level.CITY).order_by("code").first()
    city = region[:4] if len(region) >= 4 else first.code if first is not None else region
    queries = {
        "summary": lambda: dashboard.dashboard_summary(province),
        "regions_map_province_cities": lambda: dashboard.needs_by_region(province, parent=region),
        "regions_map_country": lambda: dashboard.needs_by_region(country),
        "regions_map_city_counties": lambda: dashboard.needs_by_region(province, parent=city),
        "matrix_section": lambda: dashboard.region_industry_matrix(province),
        "matrix_division": lambda: dashboard.region_industry_matrix(province, level="division"),
        "matrix_cell": lambda: dashboard.matrix_cell_needs(
            province, region=f"{region}01", industry="C", limit=50
        ),
        "gap": lambda: dashboard.supply_gap(province),
        "unanswered_ranking": lambda: dashboard.unanswered_ranking(province),
        "trend": lambda: dashboard.monthly_trend(province),
        "funnel": lambda: dashboard.matching_funnel(province),
        "matrix_section_filtered_C": lambda: dashboard.region_industry_matrix(province, manufacturing),
        "funnel_filtered_C": lambda: dashboard.matching_funnel(province, manufacturing),
    }
    timings = {name: _time(fn, repeat) for name, fn in queries.items()}
    report["queries_ms"] = {k: {"median": v["median_ms"], "best": v["best_ms"]} for k, v in timings.items()}
    report["check"] = {
        "posted": timings["summary"]["result"]["posted"],
        "regions_sum": sum(r["count"] for r in timings["regions_map_province_cities"]["result"]["rows"]),
        "matrix_total": timings["matrix_section"]["result"]["total"],
        "funnel_posted": timings["funnel"]["result"]["steps"][0]["count"],
    }


def run_benchmark(*, needs: int, repeat: int, region: str, seed: int = 1, commit: bool = False) -> dict:
    """Fill, time, then roll back (or, with commit, delete). Returns the report, with a few totals that
    check the answers add up."""
    report: dict = {
        "mode": "committed, vacuumed, deleted after" if commit else "one transaction, rolled back"
    }
    started = time.perf_counter()
    if commit:
        try:
            with transaction.atomic():
                report["filled"] = _fill(needs, region, seed)
            _vacuum()
            report["fill_s"] = round(time.perf_counter() - started, 1)
            _measure(report, needs=needs, repeat=repeat, region=region, seed=seed)
        finally:
            with transaction.atomic():
                _delete_marked()
    else:
        try:
            with transaction.atomic():
                report["filled"] = _fill(needs, region, seed)
                report["fill_s"] = round(time.perf_counter() - started, 1)
                _measure(report, needs=needs, repeat=repeat, region=region, seed=seed)
                raise _Rollback
        except _Rollback:
            pass
    report.update(
        {"database": connection.vendor, "region": region, "repeat": repeat, "filters": NO_FILTERS.as_params()}
    )
    return report


class Command(BaseCommand):
    help = "填充 N 条模拟需求（事务内，结束后回滚），计时每个仪表盘查询，输出 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--needs", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--region", default="33", help="省级代码")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--commit",
            action="store_true",
            help="提交数据并 VACUUM ANALYZE 后计时，结束时删除（请用单独的数据库）",
        )

    def handle(self, *args, needs, repeat, region, seed, commit, **options):
        if needs < 1 or repeat < 1:
            raise CommandError("--needs 和 --repeat 应为正整数。")
        if not (len(region) == 2 and Region.objects.filter(code=region).exists()):
            raise CommandError(f"省级代码“{region}”不存在。")
        report = run_benchmark(needs=needs, repeat=repeat, region=region, seed=seed, commit=commit)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
