"""The assessment's paperwork (Appendix C sheets, the 公示 list, the results notice, the Appendix F
archive) as xlsx and PDF with the Chinese font embedded, each read back and checked against the fixed
results; and a 更正 after publication, recorded with its reason and republished everywhere."""

import io
import re
from datetime import timedelta

import pypdfium2
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Notification
from core import documents
from scoring.archive import archive_data, archive_pdf
from scoring.assessment import assessment_correct, assessment_open, assessment_publish, notice_begin
from scoring.models import Correction, FrozenRecord
from scoring.paperwork import assessment_file, rendered, result_file
from scoring.scores import ScoringError
from scoring.selectors import public_results
from teams.models import Evidence
from tests.factories import decide_all_checks, draw_both_strands
from tests.scoring.test_assessment import world  # noqa: F401 - two teams, five approved visits each

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    """The PDF's text as pdfium (Chromium's PDF engine) reads it, whitespace taken out (a table cell
    wraps where it must)."""
    document = pypdfium2.PdfDocument(body)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return re.sub(r"\s+", "", text)


def embedded_fonts(body: bytes) -> set[str]:
    """The names of the fonts whose program is inside the file (FontFile, FontFile2 or FontFile3)."""
    found = set()
    for page in PdfReader(io.BytesIO(body)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.add(str(descriptor["/FontName"]))
    return found


def xlsx_cells(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return [
        str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c
    ]


@pytest.fixture
def published(world):  # noqa: F811
    """The year on notice, then published: the science team lost one visit at the spot check; one of
    the humanities team's visits has a piece of evidence."""
    office, science, humanities, records = world
    Evidence.objects.create(
        record=records[humanities.pk][0],
        file=ContentFile(b"%PDF-1.4 sign-in", name="sign.pdf"),
        original_name="服务签到表.pdf",
        content_type="application/pdf",
        size=16,
    )
    assessment = assessment_open(
        by=office, year=2026, spot_share="1", pass_threshold="7", excellent_threshold="7.5"
    )
    draw_both_strands(assessment, office, seed=3)
    decide_all_checks(assessment, office, rejected=[records[science.pk][0].pk])
    start = timezone.now()
    notice_begin(assessment=assessment, by=office, now=start)
    assessment_publish(assessment=assessment, by=office, now=start + timedelta(days=6))
    assessment.refresh_from_db()
    return office, science, humanities, records, assessment


def test_every_pdf_embeds_its_chinese_font_and_prints_the_fixed_figures(published):
    office, science, humanities, records, assessment = published
    results = public_results(assessment)
    science_result = results.get(team=science)
    assert str(science_result.score) == "6.00"

    notice_list, mime, name = assessment_file(assessment, "notice-list", "pdf", results)
    assert mime == "application/pdf" and name.endswith("公示名单.pdf")
    text = pdf_text(notice_list)
    assert "科技小分队年度考核结果公示" in text
    assert science.name in text and humanities.name in text and "6.00" in text and "7.50" in text
    assert "服务签到表.pdf" in text  # the material behind the score, by its evidence
    assert any("Noto" in f for f in embedded_fonts(notice_list))

    notice, _mime, _name = assessment_file(assessment, "results-notice", "pdf", results)
    text = pdf_text(notice)
    assert "年度科技小分队考核结果的通知" in text and "优秀1支、合格0支、不合格1支" in text
    assert any("Noto" in f for f in embedded_fonts(notice))

    sheet, _mime, _name = result_file(science_result, "pdf")
    text = pdf_text(sheet)
    assert "年度评价表（附录C）" in text and science.name in text
    assert "6.00" in text and "1.50分/项" in text  # the item's standard and its total
    assert any("Noto" in f for f in embedded_fonts(sheet))

    archive = archive_pdf(archive_data(science, 2026))
    assert science.name in pdf_text(archive) and "6.00" in pdf_text(archive)
    assert any("Noto" in f for f in embedded_fonts(archive))


def test_the_sheets_the_list_and_the_archive_agree_to_the_point(published):
    office, science, humanities, records, assessment = published
    results = list(public_results(assessment))
    body, _mime, _name = assessment_file(assessment, "appendix-c", "xlsx", public_results(assessment))
    book = load_workbook(io.BytesIO(body))
    assert [s.title for s in book.worksheets] == [r.team.name[:28] for r in results]
    for result in results:
        cells = [str(c) for row in book[result.team.name[:28]].iter_rows(values_only=True) for c in row if c]
        assert f"总分 {result.score} 分" in " ".join(cells)
        item_total = sum(float(i["score"]) for i in result.breakdown)
        assert f"{item_total:.2f}" == str(result.score)
        archive = archive_data(result.team, 2026)
        assert archive.total == result.score  # the archive signs the published figure
    listed = xlsx_cells(assessment_file(assessment, "notice-list", "xlsx", public_results(assessment))[0])
    for result in results:
        assert result.team.name in listed


def test_paperwork_waits_for_the_fixed_results_and_says_so(world):  # noqa: F811
    office, *_ = world
    assessment = assessment_open(by=office, year=2026)
    with pytest.raises(ScoringError, match="公示开始后方可生成"):
        assessment_file(assessment, "notice-list", "pdf", assessment.results.all())
    with pytest.raises(ScoringError, match="xlsx 或 pdf"):
        rendered([], "doc")


def test_the_pages_and_the_api_give_the_same_files(published, client):
    office, science, humanities, records, assessment = published
    page = client.get(reverse("scoring:paperwork", args=[assessment.pk, "notice-list", "pdf"]))
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    api = client.get(f"/api/v1/assessments/{assessment.pk}/notice-list/", {"kind": "pdf"})
    assert api.status_code == 200 and pdf_text(api.content) == pdf_text(page.content)
    assert client.get(reverse("scoring:paperwork", args=[assessment.pk, "nothing", "pdf"])).status_code == 404
    bad = client.get(reverse("scoring:paperwork", args=[assessment.pk, "notice-list", "doc"]), follow=True)
    assert "文件格式应为 xlsx 或 pdf" in bad.content.decode()
    # The sheets are for those who see the team's records.
    assert client.get(reverse("scoring:sheets", args=[assessment.pk, "pdf"])).status_code == 302  # sign in
    client.force_login(science.members.get(role="captain").user)
    own = client.get(reverse("scoring:sheets", args=[assessment.pk, "xlsx"]))
    assert [s.title for s in load_workbook(io.BytesIO(own.content)).worksheets] == [science.name[:28]]


def test_the_font_is_the_one_the_project_installs():
    path = documents.font_path()
    assert path.name == "NotoSansCJKsc-Regular.otf" and "mplfonts" in str(path)


# ------------------------------------------------------------------------------------------- 更正


def test_a_correction_removes_a_record_recomputes_and_republishes_everywhere(published):
    office, science, humanities, records, assessment = published
    before = public_results(assessment).get(team=humanities)
    assert (str(before.score), before.grade, before.rank) == ("7.50", "excellent", 1)
    bad = records[humanities.pk][1]
    correction = assessment_correct(
        assessment=assessment, by=office, reason="公示后核查：该次走访无签到记录", remove=[bad.pk]
    )
    after = public_results(assessment).get(team=humanities)
    assert after.pk == before.pk  # republished in place: links to the result stay valid
    assert (str(after.score), after.grade) == ("6.00", "fail")
    assert correction.removed[0]["id"] == bad.pk
    assert correction.before[humanities.name]["score"] == "7.50"
    assert correction.after[humanities.name]["score"] == "6.00"
    assert not FrozenRecord.objects.filter(assessment=assessment, record=bad).exists()
    # The archive, the sheet and the results notice take the corrected figures; the notice lists it.
    assert archive_data(humanities, 2026).total == after.score
    assert "6.00" in pdf_text(result_file(after, "pdf")[0])
    notice = pdf_text(assessment_file(assessment, "results-notice", "pdf", public_results(assessment))[0])
    assert "更正" in notice and "该次走访无签到记录" in notice
    captain = humanities.members.get(role="captain").user
    assert Notification.objects.filter(user=captain, title__startswith="【更正】").exists()
    humanities.refresh_from_db()
    assert humanities.status == "rectifying"  # now 不合格: rectification opens as at publication


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"reason": "", "remove": [1]}, "请填写更正理由"),
        ({"reason": "理由"}, "请填写要移出或补入"),
        ({"reason": "理由", "remove": ["x"]}, "应为正整数"),
        ({"reason": "理由", "remove": [999999]}, "不在本年度考核的记录名单中"),
        ({"reason": "理由", "add": [999999]}, "不能补入"),
    ],
)
def test_a_bad_correction_says_what_is_wrong_and_changes_nothing(published, kwargs, message):
    office, science, humanities, records, assessment = published
    scores = sorted(public_results(assessment).values_list("team_id", "score", "grade", "rank"))
    frozen = assessment.frozen_records.count()
    with pytest.raises(ScoringError, match=message):
        assessment_correct(assessment=assessment, by=office, **kwargs)
    assert sorted(public_results(assessment).values_list("team_id", "score", "grade", "rank")) == scores
    assert assessment.frozen_records.count() == frozen and not Correction.objects.exists()


def test_only_the_s_and_t_office_corrects_and_only_after_publication(published, client):
    office, science, humanities, records, assessment = published
    from tests.factories import humanities_office_of

    with pytest.raises(ScoringError) as exc:
        assessment_correct(
            assessment=assessment, by=humanities_office_of(office.university), reason="x", remove=[1]
        )
    assert exc.value.code == "forbidden"
    client.force_login(office)
    response = client.post(
        reverse("scoring:correct", args=[assessment.pk]),
        {"reason": "漏计一次走访", "remove": "", "add": "abc"},
        follow=True,
    )
    assert "应为正整数" in response.content.decode() and not Correction.objects.exists()
    response = client.post(
        f"/api/v1/assessments/{assessment.pk}/corrections/",
        {"reason": "核查发现记录不实", "remove": [records[humanities.pk][1].pk]},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["after"][humanities.name]["score"] == "6.00"
    page = client.get(reverse("scoring:notice", args=[assessment.pk])).content.decode()
    assert "核查发现记录不实" in page


def test_a_result_says_which_records_it_leaves_out_and_why(published, client):
    office, science, humanities, records, assessment = published
    result = public_results(assessment).get(team=science)
    assert [(r["id"], r["why"]) for r in result.left_out] == [(records[science.pk][0].pk, "抽查不通过：不实")]
    client.force_login(science.members.get(role="captain").user)
    page = client.get(reverse("scoring:result", args=[result.pk])).content.decode()
    assert 'id="left-out"' in page and "抽查不通过：不实" in page
    assert "三、未计分的记录" in pdf_text(result_file(result, "pdf")[0])
    # A correction's removal is explained the same way.
    assessment_correct(
        assessment=assessment, by=office, reason="核查不实", remove=[records[humanities.pk][2].pk]
    )
    other = public_results(assessment).get(team=humanities)
    assert [r["why"] for r in other.left_out] == ["更正移出：核查不实"]


def test_the_paperwork_benchmark_prints_its_figures():
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_paperwork", teams=2, repeat=1, stdout=out)
    figures = json.loads(out.getvalue())
    assert set(figures) == {"pdf_1_teams", "xlsx_1_teams", "pdf_2_teams", "xlsx_2_teams"}
    assert figures["pdf_2_teams"]["bytes"] > figures["pdf_1_teams"]["bytes"] > 0
