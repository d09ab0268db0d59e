#!/usr/bin/env python3
"""Load test: needs posted through the API by concurrent clients while the dashboard is read, against
gunicorn + PostgreSQL + Redis + a Celery worker, all on 127.0.0.1; then proof that nothing was lost.

    python benchmarks/load_needs.py --needs 2000 --clients 20 --readers 4

What it does, in order:
1. Creates a fresh database `<DATABASE_URL's name>_load` (dropped first if it exists; only a name
   ending in `_load` is ever dropped), migrates it, loads the reference data and builds a small world:
   serving teams, one approved enterprise user per client, a platform administrator; API tokens.
2. Starts gunicorn (platform/gunicorn.conf.py, production settings, bound to 127.0.0.1) and a Celery
   worker on the broker (CELERY_BROKER_URL, else TEST_BROKER_URL; its queue is purged first).
3. `--clients` threads post `--needs` needs in all (POST /api/v1/needs/ with submit, each with a unique
   title), and the administrator approves each (POST /api/v1/needs/{id}/moderate/), which queues the
   embedding and ranking task; `--readers` threads read the dashboard endpoints the whole time.
   Bounded: no more than --needs posts, no retries, and posting stops at --time-limit seconds.
4. Waits (up to --drain-timeout) for the worker to embed and rank every published need, then checks:
   every need answered 201 is stored exactly once and published, nothing stored that was not sent, no
   title twice, each has exactly one stored vector and a full set of recommendations, no TaskFailure,
   no 5xx. Prints JSON: requests per second and p50/p95/p99 latency per endpoint, and the checks.
   Exit status 1 when a check fails.
"""

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TOPICS = [
    ("高速平缝机减振降噪", "机头在高转速下振动偏大、噪声超过80分贝，希望优化主轴动平衡与挑线机构"),
    ("原料药杂质分析", "某原料药有未知杂质，需要分离鉴定并建立检测方法，满足注册申报要求"),
    ("汽车零部件视觉检测", "冲压件表面划痕与凹坑人工检出率低，希望引入机器视觉在线检测系统"),
    ("注塑模具冷却优化", "注塑件翘曲变形严重、成型周期偏长，希望通过模流分析优化冷却水路"),
    ("电机能效提升", "小型三相异步电机效率未达到二级能效，希望优化定转子结构与绕组设计"),
    ("水泵叶轮设计", "离心泵效率偏低且汽蚀明显，希望借助CFD仿真重新设计叶轮与蜗壳"),
    ("热处理变形控制", "齿轮渗碳淬火后变形超差，希望优化工艺参数与工装以减少磨削余量"),
    ("数控机床精度补偿", "加工中心热变形导致尺寸漂移，希望建立温度-误差模型并实现实时补偿"),
    ("食品保鲜工艺", "杨梅鲜果货架期短，希望研究冷链预冷与包装气调保鲜方案"),
    ("光伏组件缺陷识别", "EL图像中隐裂、断栅识别依赖人工，希望开发深度学习自动判别"),
]
DASHBOARD = [
    "/api/v1/dashboard-summary/",
    "/api/v1/regions-map/",
    "/api/v1/heatmap/",
    "/api/v1/funnel/",
    "/api/v1/trend/",
    "/api/v1/hall/",
]


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_database_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") or "kjxfd"
    return urlunsplit(parts._replace(path=f"/{name}_load"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_load"):
        raise SystemExit(f"拒绝重建数据库 {name}：压测只使用名称以 _load 结尾的数据库。")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name.endswith("_load"):
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def service_env(database_url: str, broker_url: str, port: int, web_workers: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": "",
        "CACHE_URL": broker_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(web_workers),
        "OMP_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
    }


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    # A session of its own, so stopping it stops its children (gunicorn's and celery's workers) too.
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the world -----------------------------------------------------------------------------------


def build_world(clients: int) -> dict:
    """Reference data, three serving teams, one approved enterprise user per client, an administrator;
    returns their tokens."""
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from accounts.models import College, Enterprise, Role, University, User
    from accounts.validators import credit_code_check_char
    from reference.models import Industry, Region
    from teams.models import Member, MemberRole, Team

    call_command("load_reference", verbosity=0)
    industry, region = Industry.objects.get(code="3533"), Region.objects.get(code="331002")
    university = University.objects.create(name="压测大学", region=region)
    college = College.objects.create(university=university, name="机电工程学院")
    portraits = [
        ("缝制装备", "高速平缝机减振降噪、主轴动平衡、挑线机构动力学分析、缝制设备智能控制"),
        ("医药化工", "原料药杂质分析鉴定、合成工艺优化与质量研究、药物分析方法开发"),
        ("智能制造", "机器视觉在线检测、数控机床热误差补偿、注塑模具模流分析、电机优化设计"),
    ]
    for n, (suffix, content) in enumerate(portraits):
        captain = User.objects.create_user(
            username=f"captain{n}", password=uuid.uuid4().hex, role=Role.TEAM_MEMBER, college=college
        )
        team = Team.objects.create(
            name=f"{suffix}科技小分队",
            college=college,
            work_mode="enterprise_centre",
            theme="smart_manufacturing",
            category=college.category,
            status="active",
            service_content=content,
        )
        team.industries.add(industry)
        Member.objects.create(
            team=team,
            user=captain,
            name=f"队长{n}",
            role=MemberRole.CAPTAIN,
            title="教授",
            qualifying_project="浙江省重点研发计划项目",
            qualifying_level="provincial",
        )
        Member.objects.create(team=team, name=f"副队长{n}", role=MemberRole.DEPUTY, title="副教授")
        for m in range(3):
            Member.objects.create(team=team, name=f"成员{n}{m}", role=MemberRole.CORE, title="讲师")
    posters = []
    for n in range(clients):
        first17 = f"91331002{n:08d}"[:17].ljust(17, "0")
        enterprise = Enterprise.objects.create(
            name=f"压测企业{n}",
            credit_code=first17 + credit_code_check_char(first17),
            industry=industry,
            region=region,
            status=Enterprise.Status.APPROVED,
        )
        user = User.objects.create_user(
            username=f"load{n}", password=uuid.uuid4().hex, role=Role.ENTERPRISE, enterprise=enterprise
        )
        posters.append(Token.objects.create(user=user).key)
    admin = User.objects.create_user(
        username="load-admin", password=uuid.uuid4().hex, role=Role.PLATFORM_ADMIN, is_staff=True
    )
    return {"posters": posters, "admin": Token.objects.create(user=admin).key}


# --- clients -------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}

    def add(self, endpoint: str, started: float, seconds: float, status) -> None:
        with self.lock:
            self.latencies[endpoint].append(seconds)
            self.statuses[endpoint][str(status)] += 1
            self.first[endpoint] = min(self.first.get(endpoint, started), started)
            self.last[endpoint] = max(self.last.get(endpoint, 0.0), started + seconds)


class Client:
    """A connection per request (a reused keep-alive connection that the server has just closed
    fails on send, and a client could not tell whether such a POST was stored); every request timed,
    connecting included, and recorded under its endpoint's name."""

    def __init__(self, port: int, token: str, recorder: Recorder):
        self.port, self.token, self.recorder = port, token, recorder

    def request(self, method: str, path: str, endpoint: str, body=None):
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.recorder.add(endpoint, started, time.monotonic() - started, type(exc).__name__)
            return None, None
        finally:
            conn.close()
        self.recorder.add(endpoint, started, time.monotonic() - started, status)
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, None


def poster(port, token, admin_token, titles, recorder, deadline, accepted, published, lock):
    client, moderator = Client(port, token, recorder), Client(port, admin_token, recorder)
    for n, title in titles:
        if time.monotonic() > deadline:
            return
        topic, detail = TOPICS[n % len(TOPICS)]
        body = {
            "title": title,
            "description": f"{detail}。本需求为第{n}号，来自企业生产一线，期望三个月内形成可落地的技术方案。",
            "service_types": ["diagnosis"],
            "submit": True,
        }
        status, need = client.request("POST", "/api/v1/needs/", "POST /api/v1/needs/", body)
        if status != 201 or not need:
            continue
        with lock:
            accepted[title] = need["id"]
        status, _ = moderator.request(
            "POST",
            f"/api/v1/needs/{need['id']}/moderate/",
            "POST /api/v1/needs/{id}/moderate/",
            {"approve": True, "comment": "压测通过"},
        )
        if status == 200:
            with lock:
                published.add(title)


def reader(port, token, recorder, stop_event):
    client, n = Client(port, token, recorder), 0
    while not stop_event.is_set():
        path = DASHBOARD[n % len(DASHBOARD)]
        client.request("GET", path, f"GET {path}")
        n += 1


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def summary(recorder: Recorder) -> dict:
    out = {}
    for endpoint, values in sorted(recorder.latencies.items()):
        values = sorted(values)
        span = max(recorder.last[endpoint] - recorder.first[endpoint], 1e-9)
        out[endpoint] = {
            "requests": len(values),
            "status": dict(recorder.statuses[endpoint]),
            "rps": round(len(values) / span, 2),
            "p50_ms": round(percentile(values, 50) * 1000, 1),
            "p95_ms": round(percentile(values, 95) * 1000, 1),
            "p99_ms": round(percentile(values, 99) * 1000, 1),
            "max_ms": round(values[-1] * 1000, 1),
        }
    return out


# --- checks --------------------------------------------------------------------------------------


def processed(prefix: str) -> tuple[int, int]:
    """(published needs of this run, those of them with recommendations)."""
    from demand.models import Need
    from matching.models import Recommendation

    needs = Need.objects.filter(title__startswith=prefix, status=Need.Status.PUBLISHED)
    ranked = Recommendation.objects.filter(need__in=needs).values("need").distinct().count()
    return needs.count(), ranked


def checks(prefix: str, sent: set, accepted: dict, published: set, teams: int, recorder: Recorder) -> dict:
    from core.models import TaskFailure
    from demand.models import Need
    from matching import embedding_store, services
    from matching.models import Recommendation, TextEmbedding

    stored = list(Need.objects.filter(title__startswith=prefix))
    by_title = Counter(n.title for n in stored)
    hashes = {
        n.pk: embedding_store.need_text_hash(text)
        for n, text in zip(stored, services.need_texts(stored), strict=True)
    }
    vectors = Counter(
        TextEmbedding.objects.filter(text_hash__in=set(hashes.values())).values_list("text_hash", flat=True)
    )
    recs = Counter(Recommendation.objects.filter(need__in=stored).values_list("need_id", flat=True))
    status_of = {n.title: n.status for n in stored}
    server_errors = sum(
        count
        for counts in recorder.statuses.values()
        for code, count in counts.items()
        if code.startswith("5")
    )
    result = {
        "accepted_201": len(accepted),
        "stored": len(stored),
        "every_accepted_stored_once": all(by_title[t] == 1 for t in accepted),
        "no_title_twice": all(c == 1 for c in by_title.values()),
        "nothing_stored_unsent": set(by_title) <= sent,
        "stored_ids_match": all(n.pk == accepted[n.title] for n in stored if n.title in accepted),
        "every_approved_published": all(status_of.get(t) == Need.Status.PUBLISHED for t in published),
        "every_published_embedded_once": all(
            vectors[hashes[n.pk]] == 1 for n in stored if n.status == Need.Status.PUBLISHED
        ),
        "every_published_ranked": all(
            recs[n.pk] == teams for n in stored if n.status == Need.Status.PUBLISHED
        ),
        "task_failures": TaskFailure.objects.count(),
        "server_errors": server_errors,
    }
    result["ok"] = (
        all(v for k, v in result.items() if isinstance(v, bool))
        and result["task_failures"] == 0
        and result["server_errors"] == 0
        and len(accepted) > 0
    )
    return result


# --- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20, help="posting clients (threads)")
    parser.add_argument("--readers", type=int, default=4, help="dashboard-reading clients (threads)")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds of posting at most")
    parser.add_argument("--drain-timeout", type=float, default=1800, help="seconds to wait for the worker")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--database-url", default="", help="default: DATABASE_URL's name + _load")
    parser.add_argument(
        "--broker-url", default=os.environ.get("CELERY_BROKER_URL") or os.environ.get("TEST_BROKER_URL", "")
    )
    parser.add_argument("--keep-database", action="store_true", help="leave the _load database afterwards")
    parser.add_argument("--logs", default="", help="directory for gunicorn.log and worker.log")
    args = parser.parse_args()
    if not args.broker_url.startswith("redis://127.0.0.1") and not args.broker_url.startswith(
        "redis://localhost"
    ):
        raise SystemExit(
            "需要本机 Redis 代理：--broker-url redis://127.0.0.1:6379/<db>（或设置 TEST_BROKER_URL）"
        )
    base = os.environ.get("DATABASE_URL", "")
    database_url = args.database_url or (load_database_url(base) if base.startswith("postgres") else "")
    if urlsplit(database_url).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(
            "需要本机 PostgreSQL：设置 DATABASE_URL=postgres://…@127.0.0.1:5432/… 或 --database-url"
        )

    logs = Path(args.logs or tempfile.mkdtemp(prefix="load-needs-"))
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = service_env(database_url, args.broker_url, port, args.web_workers)
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "SECRET_KEY",
                "ALLOWED_HOSTS",
                "DATABASE_URL",
                "CELERY_BROKER_URL",
                "CACHE_URL",
                "SECURE_SSL_REDIRECT",
            )
        }
    )
    sys.path.insert(0, str(ROOT))

    setup_started = time.monotonic()
    recreate_database(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    import django

    django.setup()
    run = uuid.uuid4().hex[:6]
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the JSON only
        world = build_world(args.clients)
    from django.db import connection

    connection.close()
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    subprocess.run([*celery, "purge", "-f"], cwd=ROOT, env=env, check=True, capture_output=True)
    processes = [
        start(
            [
                *(
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "-c",
                    "platform/gunicorn.conf.py",
                ),
                # Its own control socket: the default path is shared by every gunicorn of the user.
                *("--control-socket", str(logs / "gunicorn.ctl")),
            ],
            env,
            logs / "gunicorn.log",
        ),
        start(
            [*celery, "worker", f"--concurrency={args.worker_concurrency}", "--loglevel=INFO"],
            env,
            logs / "worker.log",
        ),
    ]
    try:
        return run_load(args, port, world, run, processes, logs, setup_started)
    finally:
        for process in processes:
            stop(process)
        from django.db import connections

        connections.close_all()
        if not args.keep_database:
            drop_database(database_url)


def run_load(args, port, world, run, processes, logs, setup_started) -> int:
    deadline = time.monotonic() + 90
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/hall/")
            if conn.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            raise SystemExit(f"gunicorn 未能启动，见 {logs / 'gunicorn.log'}")
        time.sleep(0.5)

    prefix = f"压测{run}"
    titles = [(n, f"{prefix}-{n:05d} {TOPICS[n % len(TOPICS)][0]}") for n in range(args.needs)]
    sent = {t for _n, t in titles}
    recorder, lock, stop_event = Recorder(), threading.Lock(), threading.Event()
    accepted: dict[str, int] = {}
    published: set[str] = set()
    load_started = time.monotonic()
    posting_deadline = load_started + args.time_limit
    posters = [
        threading.Thread(
            target=poster,
            args=(
                port,
                world["posters"][c],
                world["admin"],
                titles[c :: args.clients],
                recorder,
                posting_deadline,
                accepted,
                published,
                lock,
            ),
        )
        for c in range(args.clients)
    ]
    readers = [
        threading.Thread(target=reader, args=(port, world["admin"], recorder, stop_event))
        for _ in range(args.readers)
    ]
    for thread in posters + readers:
        thread.start()
    for thread in posters:
        thread.join()
    posting_s = time.monotonic() - load_started
    stop_event.set()
    for thread in readers:
        thread.join()

    drain_started = time.monotonic()
    drain_deadline = drain_started + args.drain_timeout
    while time.monotonic() < drain_deadline:
        count, ranked = processed(prefix)
        if count >= len(published) and ranked >= count:
            break
        time.sleep(1)
    drain_s = time.monotonic() - drain_started

    result = {
        "benchmark": "load_needs",
        "needs": args.needs,
        "clients": args.clients,
        "readers": args.readers,
        "web_workers": args.web_workers,
        "worker_concurrency": args.worker_concurrency,
        "cpus": os.cpu_count(),
        "setup_s": round(load_started - setup_started, 1),
        "posting_s": round(posting_s, 1),
        "drain_after_posting_s": round(drain_s, 1),
        "needs_per_s_end_to_end": round(len(published) / max(posting_s + drain_s, 1e-9), 2),
        "endpoints": summary(recorder),
        "checks": checks(prefix, sent, accepted, published, 3, recorder),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["checks"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
