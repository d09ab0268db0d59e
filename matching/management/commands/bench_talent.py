"""python manage.py bench_talent [--students N] [--openings M] [--repeat R]

Times 人岗匹配's scoring (embedding excluded: vectors are random unit rows, as the stored vectors would
be) for one opening against N students and for one student against M openings, the two lists the pages
show. Prints JSON: students, openings, opening_p50_ms, opening_p95_ms, student_p50_ms, student_p95_ms.
"""

import json
import time

import numpy as np
from django.core.management.base import BaseCommand

from matching.engine.talent import OpeningText, StudentText, score_pairs

SKILLS = [
    "MATLAB",
    "Python",
    "振动测试",
    "信号处理",
    "有限元分析",
    "PLC",
    "电机控制",
    "写作",
    "数据分析",
    "CAD",
]
MAJORS = ["机械工程", "电气工程", "计算机科学与技术", "化学工程与技术", "中国语言文学"]


def synthetic(n_students: int, n_openings: int, dim: int = 384):
    rng = np.random.default_rng(0)

    def unit(n):
        v = rng.standard_normal((n, dim), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    students = [
        StudentText(
            id=i,
            major=MAJORS[i % len(MAJORS)],
            skills=list(rng.choice(SKILLS, 3, replace=False)),
            interests="对" + "、".join(rng.choice(SKILLS, 2, replace=False)) + "方向的科研与工程应用感兴趣",
            disciplines=[MAJORS[i % len(MAJORS)]],
            hours_per_week=int(rng.integers(4, 20)),
        )
        for i in range(n_students)
    ]
    openings = [
        OpeningText(
            id=j,
            title=f"{MAJORS[j % len(MAJORS)]}科研助理",
            description="协助开展"
            + "、".join(rng.choice(SKILLS, 3, replace=False))
            + "相关的测试与分析工作。",
            skills=list(rng.choice(SKILLS, 2, replace=False)),
            disciplines=[MAJORS[j % len(MAJORS)]],
            hours_per_week=int(rng.integers(4, 16)),
        )
        for j in range(n_openings)
    ]
    return students, unit(n_students), openings, unit(n_openings)


def _times(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


class Command(BaseCommand):
    help = "Time 人岗匹配 scoring on synthetic profiles and openings; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=2000)
        parser.add_argument("--openings", type=int, default=200)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, students: int, openings: int, repeat: int, **options):
        people, people_vectors, posts, post_vectors = synthetic(students, openings)
        score_pairs(posts[:1], post_vectors[:1], people[:5], people_vectors[:5])  # warm jieba up
        one_opening = _times(lambda: score_pairs(posts[:1], post_vectors[:1], people, people_vectors), repeat)
        one_student = _times(lambda: score_pairs(posts, post_vectors, people[:1], people_vectors[:1]), repeat)
        result = {
            "students": students,
            "openings": openings,
            "opening_p50_ms": round(float(np.percentile(one_opening, 50)), 1),
            "opening_p95_ms": round(float(np.percentile(one_opening, 95)), 1),
            "student_p50_ms": round(float(np.percentile(one_student, 50)), 1),
            "student_p95_ms": round(float(np.percentile(one_student, 95)), 1),
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
