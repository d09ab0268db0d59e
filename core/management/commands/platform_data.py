"""python manage.py platform_data export|import FILE: the platform's data as JSON lines.

    python manage.py platform_data export backup.jsonl     # or "-" for stdout
    python manage.py platform_data import backup.jsonl     # into a freshly migrated, empty database

See accounts/backup.py for the format and platform/BACKUP.md for the whole backup procedure.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "以 JSON Lines 导出或导入平台全部数据（导入只接受空数据库，一个事务内完成，出错则全部撤销）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"], help="export 导出；import 导入")
        parser.add_argument("path", help="文件路径；导出时用 - 表示标准输出")

    def handle(self, *args, action, path, **options):
        if action == "export":
            self._export(path)
        else:
            self._import(path)

    def _export(self, path: str) -> None:
        out = sys.stdout if path == "-" else open(path, "w", encoding="utf-8")
        rows = 0
        try:
            for line in backup.export_lines():
                out.write(line + "\n")
                rows += 1
        finally:
            if out is not sys.stdout:
                out.close()
        if path != "-":
            self.stdout.write(self.style.SUCCESS(f"已导出 {rows - 1} 行数据到 {path}。"))

    def _import(self, path: str) -> None:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到导出文件：{path}")
        try:
            with file.open(encoding="utf-8") as lines:
                counts = backup.import_lines(line.rstrip("\n") for line in lines)
        except UnicodeDecodeError as exc:
            raise CommandError("导出文件不是 UTF-8 编码的文本，未导入任何数据。") from exc
        except backup.BackupError as exc:
            raise CommandError(f"{exc}（未导入任何数据）") from exc
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"已导入 {total} 行数据（{len(counts)} 个模型）。"))
