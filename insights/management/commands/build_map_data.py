"""python manage.py build_map_data [--source ../shared/data]

Rebuilds static/maps/ (committed) from the shared GeoJSON: boundary lines dropped, region codes added,
cities split per province. Run it again only when the source files change.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from insights.geo import build


class Command(BaseCommand):
    help = "从 shared/data 的 GeoJSON 生成仪表盘地图数据（static/maps/）。"

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(Path(settings.BASE_DIR).parent / "shared" / "data"))
        parser.add_argument("--target", default=str(Path(settings.BASE_DIR) / "static" / "maps"))

    def handle(self, *args, source, target, **options):
        source_dir = Path(source)
        if not (source_dir / "map_china_provinces.geojson").exists():
            raise CommandError(f"找不到 {source_dir / 'map_china_provinces.geojson'}。")
        counts = build(source_dir, Path(target))
        self.stdout.write(
            f"省级 {counts['provinces']} 个，地级 {counts['cities']} 个，共写入 {counts['files']} 个文件。"
        )
