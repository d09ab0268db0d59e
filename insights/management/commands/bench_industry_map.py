"""python manage.py bench_industry_map [--enterprises N] [--repeat R]

Times the industry map (产业图谱) for a city and for the whole country, and one problem-library and one
project-library export, over synthetic enterprises, needs and engagements written into the configured
database inside a transaction that is rolled back at the end (nothing is left behind). Needs the
reference taxonomies (python manage.py load_reference). Prints JSON: map_city_p50_ms, map_country_p50_ms,
map_queries, problems_export_ms, projects_export_ms and the sizes.
"""

import json
import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import College, Enterprise, University
from demand.models import Need
from engagements.models import Engagement
from insights import industry_map as im
from insights import report_layout, reports
from reference.models import Industry, Region
from teams.models import Team

CITY = "3310"  # 台州市
CITIES = ["3310", "3301", "3302"]  # 台州、杭州、宁波


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "产业图谱与上报导出的速度基准（合成数据，结束后回滚），输出 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=2000)
        parser.add_argument("--needs-per-enterprise", type=int, default=4)
        parser.add_argument("--teams", type=int, default=60)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options):
        classes = list(Industry.objects.filter(level=Industry.Level.CLASS, code__regex=r"^(1|2|3|4)"))
        counties = list(Region.objects.filter(level=Region.Level.COUNTY, parent__code__in=CITIES))
        if not classes or not counties:
            raise CommandError("缺少行业或行政区划数据，请先运行 python manage.py load_reference。")
        result = {}
        try:
            with transaction.atomic():
                result = self._run(classes, counties, **options)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _run(self, classes, counties, *, enterprises, needs_per_enterprise, teams, repeat, **_):
        rng = random.Random(0)
        now = timezone.now()
        university = University.objects.create(name="基准测试大学", region=Region.objects.get(code=CITY))
        college = College.objects.create(university=university, name="基准测试学院")
        team_rows = Team.objects.bulk_create(
            Team(name=f"基准小分队{i}", college=college, work_mode="discipline", theme="other",
                 category="science", status="active")
            for i in range(teams)
        )  # fmt: skip
        firms = Enterprise.objects.bulk_create(
            Enterprise(name=f"基准企业{i}", credit_code=f"BENCH{i:013d}", industry=rng.choice(classes),
                       region=rng.choice(counties), status=Enterprise.Status.APPROVED)
            for i in range(enterprises)
        )  # fmt: skip
        statuses = [Need.Status.PUBLISHED, Need.Status.ENGAGED, Need.Status.RESOLVED, Need.Status.EXPIRED]
        needs = Need.objects.bulk_create(
            Need(enterprise=firm, title="基准需求", description="描述", industry=firm.industry, region=firm.region,
                 status=rng.choice(statuses), published_at=now - timedelta(days=rng.randint(1, 300)))
            for firm in firms
            for _ in range(needs_per_enterprise)
        )  # fmt: skip
        engaged = [n for n in needs if n.status != Need.Status.PUBLISHED and rng.random() < 0.8]
        engagement_statuses = [
            Engagement.Status.AGREED,
            Engagement.Status.IN_SERVICE,
            Engagement.Status.COMPLETED,
        ]
        Engagement.objects.bulk_create(
            Engagement(need=n, team=rng.choice(team_rows), origin="interest", status=rng.choice(engagement_statuses),
                       agreed_at=n.published_at + timedelta(days=3))
            for n in engaged
        )  # fmt: skip

        def timed(fn):
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                runs.append((time.perf_counter() - start) * 1000)
            return round(statistics.median(runs), 1)

        city = Region.objects.get(code=CITY)
        with CaptureQueriesContext(connection) as queries:
            im.industry_map(region=city)
        period = (timezone.localdate() - timedelta(days=365), timezone.localdate())

        def export(builder, kind):
            rows = builder(university=None, region=None, period_from=period[0], period_to=period[1])
            report_layout.xlsx_bytes(kind, rows)
            report_layout.jsonl_bytes(rows)
            return len(rows)

        return {
            "enterprises": enterprises,
            "needs": len(needs),
            "engagements": len(engaged),
            "map_city_p50_ms": timed(lambda: im.industry_map(region=city)),
            "map_country_p50_ms": timed(lambda: im.industry_map(region=None)),
            "map_queries": len(queries),
            "problems_rows": export(reports.problem_rows, "problems"),
            "problems_export_ms": timed(lambda: export(reports.problem_rows, "problems")),
            "projects_rows": export(reports.project_rows, "projects"),
            "projects_export_ms": timed(lambda: export(reports.project_rows, "projects")),
        }
