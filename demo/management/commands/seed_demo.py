"""python manage.py seed_demo: load the reference data if it is missing, then build the demo world."""

from django.core.management.base import BaseCommand, CommandError

from demo.history import demo_history_build
from demo.records import demo_records_build
from demo.services import DEFAULT_SEED, DEMO_PASSWORD, DemoWorldError, demo_logins, demo_world_build
from demo.talent import STUDENTS, demo_talent_build

COUNT_LABELS = {
    "universities": "高校",
    "colleges": "二级学院",
    "agencies": "政府部门",
    "enterprises": "企业",
    "users": "用户",
    "teams": "科技小分队",
    "members": "小分队成员",
    "needs": "技术需求",
}


class Command(BaseCommand):
    help = "生成演示数据：台州学院及其学院、科技小分队、企业与技术需求，以及各角色的演示账号（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")

    def handle(self, *args, seed, **options):
        from reference.models import Industry

        if not Industry.objects.exists():
            from reference.loaders import load_all

            self.stdout.write("参考数据为空，正在加载行业、行政区划和学科……")
            loaded = load_all()
            self.stdout.write(
                "已加载：行业 {industry} 条，行政区划 {region} 条，学科 {csl} + {nsfc} 条。".format(
                    industry=loaded["industry"]["total"],
                    region=loaded["region"]["total"],
                    csl=loaded["discipline_csl"]["total"],
                    nsfc=loaded["discipline_nsfc"]["total"],
                )
            )
        try:
            result = demo_world_build(seed=seed)
        except DemoWorldError as exc:
            raise CommandError(str(exc)) from exc

        changes = result["changes"]
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.stdout.write(f"本次新建 {changes['created']} 条，更新 {changes['updated']} 条。当前数据量：")
        for key, label in COUNT_LABELS.items():
            self.stdout.write(f"  {label}：{result[key]}")
        self._recommend()
        history = demo_history_build(seed=seed)
        if history["created"]:
            self.stdout.write(f"已为对接中和已解决的需求补齐 {history['created']} 条对接记录。")
        records = demo_records_build(seed=seed)
        if records["records"]:
            self.stdout.write(f"已为对接补齐 {records['records']} 条服务记录（含佐证材料），部分待学院审核。")
        if records["assessment"]:
            self.stdout.write(
                f"科技处已开启 {records['assessment']} 年度考核（材料审核中），可在“年度考核”中演示抽查、公示与公布。"
            )
        if history["created"] or records["records"]:
            # Engagements and records feed the portraits (track record, past work), so rank again: the
            # first ranking only chose whom the history engaged. They were written directly, so nothing
            # announced them to the cached index.
            from matching.services import reset_index_cache

            reset_index_cache()
            self._recommend("已按对接与服务记录更新推荐（{count} 条）。")
        talent = demo_talent_build()
        if any(talent.values()):
            self.stdout.write(
                "人岗匹配与指派：学生档案 {students} 份、岗位 {openings} 个、申请 {applications} 份、指派 {assignments} 条。".format(
                    **talent
                )
            )
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in demo_logins():
            self.stdout.write(f"  {login['username']:<12} {login['role_label']} — {login['note']}")
        for username, name, *_rest in STUDENTS:  # 人岗匹配's students (demo/talent.py)
            self.stdout.write(f"  {username:<12} 学生 — {name}（学生档案、岗位推荐与申请）")

    def _recommend(self, done: str = "已为开放需求生成 {count} 条团队推荐。"):
        """The demo world is written directly (no announcements), so rank every open need here."""
        from matching.engine.embeddings import ModelMissingError
        from matching.services import recommendations_refresh_all

        try:
            count = recommendations_refresh_all()
        except ModelMissingError as exc:
            self.stderr.write(f"未生成推荐：{exc}")
            return
        self.stdout.write(done.format(count=count))
