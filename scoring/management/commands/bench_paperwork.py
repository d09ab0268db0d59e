"""How long the paperwork takes to print: Appendix C sheets (8 items, 20 records each) for 1 and N teams,
as PDF (the Chinese font subset and embedded) and xlsx. Synthetic documents, no database. Prints JSON."""

import json
import statistics
import time

from django.core.management.base import BaseCommand

from core.documents import Document, Table, pdf, xlsx


def _sheet(n: int) -> Document:
    items = [
        [i, "赴政府机关、企事业单位或行业开展服务", "1.50 分/项", "15.00", "10 项", "15.00", "15.00", "是"]
        for i in range(1, 9)
    ]
    records = [
        ["开展培训、讲座", f"赴台州某泵业有限公司开展第{i}次现场技术服务", "2026-03-01", "1.50", "1.50", "签到表.pdf；现场照片.jpg"]
        for i in range(20)
    ]  # fmt: skip
    return Document(
        title="地方高校科技小分队年度评价表（附录C）",
        lines=[f"第{n}队 · 智能制造学院 · 理工类 · 2026 年度", "总分 42.50 分，档次：优秀，全校第 1 名"],
        blocks=[
            Table(
                ["序号", "评价项目", "计分标准", "上限", "数量", "原始得分", "计入得分", "触及上限"], items
            ),
            Table(["评价项目", "服务记录", "日期", "原始得分", "计入得分", "佐证材料"], records),
        ],
        signature=["二级学院审核意见（盖章）：__________"],
        sheet=f"第{n}队",
    )


class Command(BaseCommand):
    help = "Time the paperwork renderers (PDF with the embedded font, xlsx); prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=100)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, teams, repeat, **options):
        out = {}
        for count in (1, teams):
            documents = [_sheet(n) for n in range(count)]
            for name, render in (("pdf", pdf), ("xlsx", xlsx)):
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    body = render(documents)
                    times.append(time.perf_counter() - start)
                out[f"{name}_{count}_teams"] = {
                    "median_s": round(statistics.median(times), 3),
                    "bytes": len(body),
                }
        self.stdout.write(json.dumps(out, ensure_ascii=False))
