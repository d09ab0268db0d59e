"""The assessment's paperwork, generated from the fixed results (never recomputed): the Appendix C sheet
per team, the 公示 list with the material it stands on, and the results notice. Each is a
core.documents.Document, so the page, the API and a download print the same figures as xlsx or PDF.

Every figure comes from AssessmentResult as notice_begin wrote it (and a 更正 rewrote it): the sheets, the
list, the notice and the Appendix F archive agree to the point because they read the same rows.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import MIME, Document, Table, render
from scoring.models import Assessment, AssessmentResult, Grade, RuleItem
from scoring.scores import ScoringError

UNIT_LABELS = {RuleItem.Unit.EACH: "分/项", RuleItem.Unit.PER_WAN: "分/万元"}
FIXED = {Assessment.Status.NOTICE, Assessment.Status.FINAL}


def _standard(item: dict) -> str:
    if "points" not in item:  # a result fixed before the rule was kept with it
        return ""
    return f"{item['points']} {UNIT_LABELS.get(item.get('unit'), '分/项')}"


def _cap(item: dict) -> str:
    return item["cap"] if item.get("cap") is not None else _("不设上限")


def _quantity(item: dict) -> str:
    quantity = Decimal(item["quantity"])
    unit = _("万元") if item.get("unit") == RuleItem.Unit.PER_WAN else _("项")
    return f"{quantity.normalize():f} {unit}"


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def appendix_c_sheet(result: AssessmentResult) -> Document:
    """附录C 评价表, filled for one team: each item's standard, cap, quantity, points before and after the
    cap, then every counted record with its evidence; the total as fixed."""
    assessment, team = result.assessment, result.team
    items = Table(
        header=["序号", "评价项目", "计分标准", "上限", "数量", "原始得分", "计入得分", "触及上限"],
        rows=[
            [
                n,
                item["label"],
                _standard(item),
                _cap(item),
                _quantity(item),
                item["raw"],
                item["score"],
                "是" if item.get("capped") else "否",
            ]
            for n, item in enumerate(result.breakdown, start=1)
        ],
        widths=[5, 30, 12, 10, 12, 10, 10, 9],
        caption=_("一、计分"),
    )
    records = Table(
        header=["评价项目", "服务记录", "日期", "原始得分", "计入得分", "佐证材料"],
        rows=[
            [
                item["label"],
                r["title"],
                r["date"],
                r["raw"],
                r["counted"],
                "；".join(r.get("evidence", [])) or "—",
            ]
            for item in result.breakdown
            for r in item["records"]
        ],
        widths=[20, 32, 14, 9, 9, 26],
        caption=_("二、计分记录及佐证材料"),
    )
    blocks = [items, records]
    if result.left_out:
        blocks.append(
            Table(
                header=["服务记录", "日期", "未计分原因"],
                rows=[[r["title"], r["date"], r["why"]] for r in result.left_out],
                widths=[35, 14, 51],
                caption=_("三、未计分的记录"),
            )
        )
    return Document(
        title=_("地方高校科技小分队年度评价表（附录C）"),
        lines=[
            f"{team.name} · {team.college.name} · {team.get_category_display()} · {assessment.year} 年度",
            _("总分 %(s)s 分，档次：%(g)s，全校第 %(r)d 名")
            % {"s": result.score, "g": result.get_grade_display(), "r": result.rank},
        ],
        blocks=[
            *blocks,
            _(
                "注：服务成效指服务过程中产生的产学研合作成果；小分队成员交叉的项目不重复计分；各项均附支撑材料，"
                "经二级学院审核，学校科技和人文科研管理部门分类抽查后公示。"
            ),
        ],  # fmt: skip
        signature=[_("二级学院审核意见（盖章）：__________"), _("日期：__________")],
        sheet=team.name,
    )


def appendix_c_sheets(results) -> list[Document]:
    return [appendix_c_sheet(r) for r in results]


def notice_list(assessment: Assessment, results) -> Document:
    """公示名单: rank, team, college, strand, score and grade, then each team's counted material (the
    records and their evidence) as the guideline publishes material, not only a number."""
    header = Table(
        header=["名次", "小分队", "学院", "类别", "得分", "档次"],
        rows=[
            [r.rank, r.team.name, r.team.college.name, r.team.get_category_display(), r.score, r.get_grade_display()]
            for r in results
        ],
        widths=[7, 38, 22, 10, 10, 10],
    )  # fmt: skip
    material = Table(
        header=["小分队", "评价项目", "服务记录", "日期", "计入得分", "佐证材料"],
        rows=[
            [r.team.name, item["label"], rec["title"], rec["date"], rec["counted"], "；".join(rec.get("evidence", []))]
            for r in results
            for item in r.breakdown
            for rec in item["records"]
        ],
        widths=[22, 20, 28, 14, 8, 22],
        caption=_("计分材料"),
    )  # fmt: skip
    lines = [_("%(u)s %(y)d 年度科技小分队考核") % {"u": assessment.university.name, "y": assessment.year}]
    if assessment.notice_start:
        lines.append(
            _("公示期：%(a)s 至 %(b)s。如有异议，请在公示期内实名书面提出。")
            % {"a": _when(assessment.notice_start), "b": _when(assessment.notice_end)}
        )
    return Document(
        title=_("科技小分队年度考核结果公示"),
        lines=lines,
        blocks=[header, material],
        signature=[f"{assessment.university.name}科学技术处", _when(assessment.notice_start)],
        sheet="公示名单",
    )


def results_notice(assessment: Assessment, results) -> Document:
    """结果通知: after publication, the grades by team, how many in each, and every 更正 with its reason."""
    results = list(results)
    counts = {g: sum(1 for r in results if r.grade == g) for g in Grade.values}
    summary = _(
        "%(y)d 年度共考核科技小分队 %(n)d 支，其中优秀 %(e)d 支、合格 %(p)d 支、不合格 %(f)d 支。"
    ) % {
        "y": assessment.year,
        "n": len(results),
        "e": counts[Grade.EXCELLENT],
        "p": counts[Grade.PASS],
        "f": counts[Grade.FAIL],
    }
    blocks = [
        _("经二级学院审核、科技处和人文社科处分类抽查、公示，现将 %(y)d 年度科技小分队考核结果通知如下。")
        % {"y": assessment.year},
        summary,
        Table(
            header=["档次", "名次", "小分队", "学院", "得分"],
            rows=[
                [r.get_grade_display(), r.rank, r.team.name, r.team.college.name, r.score]
                for grade in Grade.values
                for r in results
                if r.grade == grade
            ],
            widths=[10, 8, 42, 26, 12],
        ),
        _(
            "考核不合格的小分队须针对问题制定具体改进措施，明确责任人和完成时限（《工作指引》持续改进），"
            "整改期限 %(d)d 天（本校设置）。"
        )
        % {"d": assessment.rectification_days},
    ]
    corrections = list(assessment.corrections.all())
    if corrections:
        blocks.append(
            Table(
                header=["更正日期", "更正理由", "更正内容"],
                rows=[[_when(c.made_at), c.reason, correction_summary(c)] for c in corrections],
                widths=[14, 40, 46],
                caption=_("更正"),
            )
        )
    return Document(
        title=_("关于公布 %(y)d 年度科技小分队考核结果的通知") % {"y": assessment.year},
        lines=[assessment.university.name],
        blocks=blocks,
        signature=[f"{assessment.university.name}科学技术处", _when(assessment.published_at)],
        sheet="结果通知",
    )


def correction_summary(correction) -> str:
    """Each changed team's score, grade and rank before → after, in words."""
    parts = []
    for name, before in sorted(correction.before.items()):
        after = correction.after.get(name, {})
        parts.append(
            f"{name}：{before.get('score')} 分（{before.get('grade')}，第 {before.get('rank')} 名）→ "
            f"{after.get('score')} 分（{after.get('grade')}，第 {after.get('rank')} 名）"
        )
    return "；".join(parts) or _("名次与得分无变化")


# ----------------------------------------------------------------------------------- files to download

# What an assessment prints, by the name its address uses: (file name, built from the results).
ASSESSMENT_DOCUMENTS = {
    "notice-list": _("公示名单"),
    "results-notice": _("结果通知"),
    "appendix-c": _("附录C评价表"),
}


def rendered(documents: list[Document], kind: str) -> tuple[bytes, str]:
    if kind not in MIME:
        raise ScoringError(_("文件格式应为 xlsx 或 pdf。"), field="kind")
    return render(documents, kind), MIME[kind]


def assessment_file(assessment: Assessment, name: str, kind: str, results) -> tuple[bytes, str, str]:
    """One of the assessment's documents as (body, content type, file name). `results`: the results the
    asker may see (all for the public lists; selectors decide for the Appendix C sheets)."""
    if name not in ASSESSMENT_DOCUMENTS:
        raise ScoringError(_("没有这种考核文件。"), code="not_found")
    if assessment.status not in FIXED:
        raise ScoringError(_("考核得分尚未固定（公示开始后方可生成）。"), code="wrong_state")
    if name == "results-notice" and assessment.status != Assessment.Status.FINAL:
        raise ScoringError(_("结果公布后方可生成结果通知。"), code="wrong_state")
    results = list(results.select_related("team", "team__college", "assessment__university"))
    if name == "notice-list":
        documents = [notice_list(assessment, results)]
    elif name == "results-notice":
        documents = [results_notice(assessment, results)]
    else:
        if not results:
            raise ScoringError(_("没有可查看的小分队评价表。"), code="not_found")
        documents = appendix_c_sheets(results)
    body, mime = rendered(documents, kind)
    filename = f"{assessment.year}_{assessment.university.name}_{ASSESSMENT_DOCUMENTS[name]}.{kind}"
    return body, mime, filename


def result_file(result: AssessmentResult, kind: str) -> tuple[bytes, str, str]:
    body, mime = rendered([appendix_c_sheet(result)], kind)
    return body, mime, f"{result.assessment.year}_{result.team.name}_附录C评价表.{kind}"
