"""python manage.py load_reference [--dir DIR]: load 行业、行政区划、学科 from the fixtures (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError

from reference.loaders import ReferenceDataError, load_all

LEVEL_NAMES = {
    "industry": ("行业（GB/T 4754-2017）", ["门类", "大类", "中类", "小类"]),
    "region": ("行政区划", ["省级", "地级", "县级"]),
    "discipline_csl": ("学科（CSL 一级学科）", ["一级"]),
    "discipline_nsfc": ("学科（国家自然科学基金申请代码）", ["一级", "二级", "三级"]),
}


def describe(key: str, counts: dict) -> str:
    title, names = LEVEL_NAMES.get(key, (key, []))
    levels = "、".join(
        f"{names[int(level)] if int(level) < len(names) else f'第 {level} 级'} {n}"
        for level, n in counts["by_level"].items()
    )
    parts = [levels] if levels else []
    if "with_coordinates" in counts:
        parts.append(f"有驻地坐标 {counts['with_coordinates']}")
    parts.append(f"新增 {counts['created']}，更新 {counts['updated']}")
    return f"{title}：{counts['total']} 条（{'；'.join(parts)}）"


class Command(BaseCommand):
    help = "从 reference/fixtures 载入行业、行政区划、学科参考数据（按代码更新，可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", dest="directory", help="从此目录读取数据文件（默认：reference/fixtures）"
        )

    def handle(self, *args, directory=None, **options):
        started = time.perf_counter()
        try:
            counts = load_all(directory)
        except ReferenceDataError as exc:
            raise CommandError(f"参考数据有误，未写入任何数据。{exc}") from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS("参考数据已载入："))
        for key, value in counts.items():
            self.stdout.write(f"  {describe(key, value)}")
        self.stdout.write(f"用时 {elapsed:.1f} 秒")
