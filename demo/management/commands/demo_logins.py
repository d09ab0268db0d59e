"""Every demo account, grouped by what a newcomer would try with it (`dev.py serve` prints this)."""

from django.core.management.base import BaseCommand

from demo.services import DEMO_PASSWORD, demo_logins
from demo.talent import STUDENTS

LEVELS = {"undergraduate": "本科生", "graduate": "研究生", "phd": "博士生"}


class Command(BaseCommand):
    help = "列出全部演示账号（密码相同）。"

    def handle(self, *args, **options):
        out = self.stdout
        out.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        last = None
        for login in demo_logins():
            if login["role_label"] != last:
                last = login["role_label"]
                out.write(f"\n  【{last}】")
            out.write(f"    {login['username']:<12} {login['note'] or login['real_name']}")
        out.write("\n  【学生（人岗匹配：浏览岗位、投递申请）】")
        for username, name, level, major, *_rest in STUDENTS:
            out.write(f"    {username:<12} {name}，{LEVELS.get(level, level)}，{major}")
        out.write("")
