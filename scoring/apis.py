"""The API for scores, annual assessments (with the public notice and its objections) and archives.

Reads go through scoring.selectors and teams.selectors (what the asker may not see is a 404); the
S&T office's steps call scoring.assessment, whose ScoringError becomes the API's one error shape.
"""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.scope import is_sto_admin
from core.api_support import one_of, parsed, parsed_form
from core.exports import download
from scoring import assessment as services
from scoring import paperwork, selectors, serializers
from scoring.archive import archive_data, archive_pdf, archive_xlsx, college_archives_zip
from scoring.filters import ResultFilter
from scoring.forms import AssessmentOpenForm
from scoring.models import Assessment, AssessmentResult
from scoring.scores import ScoringError, rule_set_revise, rules_for_year, team_score
from teams.models import RecordType, Team
from teams.selectors import teams_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScoreView(APIView):
    """A team's score for a year, for those who may see the team's records."""

    @extend_schema(
        parameters=[serializers.ScoreQuerySerializer],
        responses={200: serializers.TeamScoreSerializer},
        summary="小分队年度得分",
    )
    def get(self, request):
        query = parsed(serializers.ScoreQuerySerializer, request.query_params)
        team = one_of(teams_visible_to(request.user), query["team"])
        return Response(serializers.TeamScoreSerializer(team_score(team, query["year"])).data)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """A university's annual assessments: its S&T office, colleges and teachers see them; the office
    opens them."""

    serializer_class = serializers.AssessmentSerializer
    filter_backends: list = []
    filterset_class = None  # the ranking (`results`) sets its own
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.assessments_visible_to(self.request.user)

    def get_object(self):
        return one_of(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(
        request=serializers.AssessmentOpenInput,
        responses={201: serializers.AssessmentSerializer},
        summary="创建年度考核",
    )
    def create(self, request):
        """The S&T office opens its university's assessment for a year, with the year's scoring rules."""
        if not is_sto_admin(request.user):
            raise ScoringError(_("只有本校科技处管理员可以操作年度考核。"), code="forbidden")
        form = parsed_form(AssessmentOpenForm, request.data)
        assessment = services.assessment_open(by=request.user, **form.cleaned_data)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: serializers.ResultSerializer(many=True)}, summary="考核排名")
    @action(detail=True, methods=["get"], filter_backends=[DjangoFilterBackend], filterset_class=ResultFilter)
    def results(self, request, pk=None):
        """The ranking: the S&T office at any time, everyone else once it is on notice."""
        results = self.filter_queryset(selectors.results_for(request.user, self.get_object()))
        page = self.paginate_queryset(results)
        return self.get_paginated_response(serializers.ResultSerializer(page, many=True).data)

    @extend_schema(responses={200: serializers.ProvisionalSerializer(many=True)}, summary="当前得分预览")
    @action(detail=True, methods=["get"], pagination_class=None)
    def provisional(self, request, pk=None):
        """Before the scores are fixed (材料审核中, 抽查中): the ranking and grades the records approved
        so far would give, for the S&T office (anyone else, or a later state: an empty list)."""
        rows = selectors.provisional_for(request.user, self.get_object())
        return Response(serializers.ProvisionalSerializer(rows, many=True).data)

    @extend_schema(responses={200: serializers.SpotCheckSerializer(many=True)}, summary="抽查记录")
    @action(detail=True, methods=["get"], url_path="spot-checks", pagination_class=None)
    def spot_checks(self, request, pk=None):
        """The drawn records, for the S&T office (anyone else: an empty list)."""
        checks = selectors.spot_checks_visible_to(request.user).filter(assessment=self.get_object())
        rows = serializers.spot_check_rows(checks.order_by("category", "record_id"))
        return Response(serializers.SpotCheckSerializer(rows, many=True).data)

    @extend_schema(
        request=serializers.SpotBatchInput,
        responses={200: serializers.SpotCheckSerializer(many=True)},
        summary="批量给出抽查结论",
    )
    @action(detail=True, methods=["post"], url_path="spot-checks/decide", pagination_class=None)
    def spot_checks_decide(self, request, pk=None):
        """One conclusion (and reason) for several drawn records of the asker's strand, all or none."""
        assessment = self.get_object()
        data = parsed(serializers.SpotBatchInput, request.data)
        done = services.spot_checks_decide(assessment=assessment, by=request.user, **data)
        checks = selectors.spot_checks_visible_to(request.user).filter(pk__in=[c.pk for c in done])
        rows = serializers.spot_check_rows(checks.order_by("category", "record_id"))
        return Response(serializers.SpotCheckSerializer(rows, many=True).data)

    def _step(self, run):
        assessment = run(self.get_object())
        return Response(self.get_serializer(Assessment.objects.get(pk=assessment.pk)).data)

    @extend_schema(
        request=serializers.SpotDrawInput,
        responses={200: serializers.AssessmentSerializer},
        summary="抽查抽样",
    )
    @action(detail=True, methods=["post"], url_path="spot-draw")
    def spot_draw(self, request, pk=None):
        """Draws the records to check; the same seed (as on the page) draws the same records."""
        seed = parsed(serializers.SpotDrawInput, request.data).get("seed")

        def run(a):
            services.spot_check_draw(assessment=a, by=request.user, seed=seed)
            return a

        return self._step(run)

    @extend_schema(request=None, responses={200: serializers.AssessmentSerializer}, summary="开始公示")
    @action(detail=True, methods=["post"], url_path="notice-begin")
    def notice_begin(self, request, pk=None):
        return self._step(lambda a: services.notice_begin(assessment=a, by=request.user))

    @extend_schema(request=None, responses={200: serializers.AssessmentSerializer}, summary="公布结果")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(lambda a: services.assessment_publish(assessment=a, by=request.user))

    @extend_schema(
        request=serializers.SharedChoiceInput,
        responses={201: serializers.SharedChoiceSerializer},
        summary="决定共享成员重复记录的归属",
    )
    @action(detail=True, methods=["post"], url_path="shared-items")
    def shared_items(self, request, pk=None):
        """Which team keeps a visit or training two teams that share members both recorded (scoring.
        assessment.shared_item_choose), as on the assessment page; before the scores are fixed."""
        data = parsed(serializers.SharedChoiceInput, request.data)
        choice = services.shared_item_choose(assessment=self.get_object(), by=request.user, **data)
        return Response(serializers.SharedChoiceSerializer(choice).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.CorrectionInput,
        responses={201: serializers.CorrectionSerializer},
        summary="更正已公布的结果",
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        """更正 after publication (scoring.assessment.assessment_correct), as on the assessment page."""
        data = parsed(serializers.CorrectionInput, request.data)
        correction = services.assessment_correct(assessment=self.get_object(), by=request.user, **data)
        return Response(serializers.CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)


class NoticeView(APIView):
    """公示: names, scores and grades, open to everyone while on notice and after; never the records."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: serializers.ResultSerializer(many=True)}, summary="考核公示")
    def get(self, request, pk: int):
        assessment = one_of(selectors.assessments_on_notice(), pk)
        return Response(serializers.ResultSerializer(selectors.public_results(assessment), many=True).data)


class ResultView(APIView):
    """One team's result with its breakdown: the team, its college, its office, platform administrators."""

    @extend_schema(responses={200: serializers.ResultDetailSerializer}, summary="考核结果明细")
    def get(self, request, pk: int):
        result = (
            AssessmentResult.objects.select_related("team", "team__college", "assessment")
            .filter(pk=pk)
            .first()
        )
        if result is None or not selectors.result_visible_to(request.user, result):
            raise NotFound
        return Response(serializers.ResultDetailSerializer(result).data)


def _archive(request, team_pk: int, year: int):
    team = one_of(selectors.teams_for_archive(request.user), team_pk)
    return archive_data(team, year)


class ArchiveView(APIView):
    """A team's archive form (归档表) for a year, for those who may see the team."""

    @extend_schema(responses={200: serializers.ArchiveSerializer}, summary="归档表")
    def get(self, request, team_pk: int, year: int):
        data = _archive(request, team_pk, year)
        body = {
            "team": {"id": data.team.pk, "name": data.team.name},
            "year": data.year,
            "members": data.members,
            "highlights": data.highlights,
            "photos": [p.pk for p in data.photos],
            "rows": [row.__dict__ for row in data.rows],
            "total": data.total,
            "missing": [str(m) for m in data.missing],
        }
        return Response(serializers.ArchiveSerializer(body).data)


class ArchiveDownloadView(APIView):
    """The archive form as xlsx or pdf; refused while required entries are missing."""

    @extend_schema(
        parameters=[serializers.DownloadQuerySerializer],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="下载归档表",
    )
    def get(self, request, team_pk: int, year: int):
        kind = parsed(serializers.DownloadQuerySerializer, request.query_params)["kind"]
        data = _archive(request, team_pk, year)
        if data.missing:
            raise ScoringError(
                _("归档表必填项缺失：") + "、".join(str(m) for m in data.missing), code="invalid"
            )
        body, mime = (archive_xlsx(data), XLSX) if kind == "xlsx" else (archive_pdf(data), "application/pdf")
        response = HttpResponse(body, content_type=mime)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(f'{year}_{data.team.name}.{kind}')}"
        )
        return response


def _download(body: bytes, mime: str, filename: str) -> HttpResponse:
    return download(body, filename, mime)


DOWNLOAD = {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}


class PublicPaperworkView(APIView):
    """The 公示 list (on notice and after) and the results notice (after publication), as xlsx or pdf:
    public, like the notice page (scoring.paperwork, the same files the pages give)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[serializers.DownloadQuerySerializer],
        responses=DOWNLOAD,
        summary="公示名单、结果通知",
        operation_id="assessments_paperwork_retrieve",
    )
    def get(self, request, pk: int, name: str):
        kind = parsed(serializers.DownloadQuerySerializer, request.query_params)["kind"]
        assessment = one_of(selectors.assessments_on_notice().select_related("university"), pk)
        return _download(
            *paperwork.assessment_file(assessment, name, kind, selectors.public_results(assessment))
        )


class SheetsView(APIView):
    """Every Appendix C sheet of the assessment the asker may see (the teams whose records they see), one
    per team, in one file."""

    @extend_schema(
        parameters=[serializers.DownloadQuerySerializer], responses=DOWNLOAD, summary="附录C评价表（全部）"
    )
    def get(self, request, pk: int):
        kind = parsed(serializers.DownloadQuerySerializer, request.query_params)["kind"]
        assessment = one_of(selectors.assessments_visible_to(request.user), pk)
        results = selectors.sheets_visible_to(request.user, assessment)
        return _download(*paperwork.assessment_file(assessment, "appendix-c", kind, results))


class ResultSheetView(APIView):
    """One team's Appendix C sheet, for those who see its result's breakdown."""

    @extend_schema(
        parameters=[serializers.DownloadQuerySerializer], responses=DOWNLOAD, summary="附录C评价表"
    )
    def get(self, request, pk: int):
        kind = parsed(serializers.DownloadQuerySerializer, request.query_params)["kind"]
        result = (
            AssessmentResult.objects.select_related("team", "team__college", "assessment")
            .filter(pk=pk)
            .first()
        )
        if result is None or not selectors.result_visible_to(request.user, result):
            raise NotFound
        return _download(*paperwork.result_file(result, kind))


class SpotCheckDecideView(APIView):
    """The S&T office's conclusion on one drawn record (scoring.assessment.spot_check_decide)."""

    @extend_schema(
        request=serializers.SpotDecisionInput,
        responses={200: serializers.SpotCheckSerializer},
        summary="抽查结论",
    )
    def post(self, request, pk: int):
        check = one_of(selectors.spot_checks_visible_to(request.user), pk)
        data = parsed(serializers.SpotDecisionInput, request.data)
        check = services.spot_check_decide(
            check=check, by=request.user, upheld=data["upheld"], reason=data.get("reason", "")
        )
        row = serializers.spot_check_rows(selectors.spot_checks_visible_to(request.user).filter(pk=check.pk))[
            0
        ]
        return Response(serializers.SpotCheckSerializer(row).data)


class ObjectionsView(APIView):
    """公示异议 on an assessment: anyone lodges one, in writing under their name, while the notice runs (as
    on the public notice page); the S&T office reads them with their authors' contacts and answers."""

    throttle_scope = "objections"

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.request.method == "POST":
            return [ScopedRateThrottle()]  # anyone may write here: a bound per client address
        return super().get_throttles()

    @extend_schema(responses={200: serializers.ObjectionSerializer(many=True)}, summary="公示异议列表")
    def get(self, request, pk: int):
        assessment = one_of(selectors.assessments_visible_to(request.user), pk)
        if not is_sto_admin(request.user):
            raise ScoringError(_("只有本校科技处可以查看异议。"), code="forbidden")
        objections = selectors.objections_visible_to(request.user).filter(assessment=assessment)
        return Response(serializers.ObjectionSerializer(objections, many=True).data)

    @extend_schema(
        request=serializers.ObjectionInput,
        responses={201: serializers.ObjectionSerializer},
        summary="提出公示异议",
    )
    def post(self, request, pk: int):
        assessment = one_of(selectors.assessments_on_notice(), pk)
        data = dict(parsed(serializers.ObjectionInput, request.data))
        objection = services.objection_lodge(assessment=assessment, team_id=data.pop("team", None), **data)
        return Response(serializers.ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionAnswerView(APIView):
    """The S&T office's answer to an objection; every one is answered before the results are final."""

    @extend_schema(
        request=serializers.ObjectionAnswerInput,
        responses={200: serializers.ObjectionSerializer},
        summary="答复公示异议",
    )
    def post(self, request, pk: int):
        objection = one_of(selectors.objections_visible_to(request.user), pk)
        data = parsed(serializers.ObjectionAnswerInput, request.data)
        objection = services.objection_answer(objection=objection, by=request.user, answer=data["answer"])
        return Response(serializers.ObjectionSerializer(objection).data)


class CollegeArchiveDownloadView(APIView):
    """Every team's archive of a college for a year in one zip (xlsx + pdf each; teams that lack a required
    entry are listed in 未归档清单.txt): for the college's administrator and its university's S&T office."""

    @extend_schema(
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="下载学院归档包",
    )
    def get(self, request, college_pk: int, year: int):
        college = one_of(selectors.colleges_archivable_by(request.user), college_pk)
        body, _skipped = college_archives_zip(Team.objects.filter(college=college).order_by("name"), year)
        response = HttpResponse(body, content_type="application/zip")
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(f'{year}_{college.name}_归档.zip')}"
        )
        return response


def _rule_table(year: int, university_id: int | None) -> dict:
    rule_set, rules = rules_for_year(year, university_id)
    labels = dict(RecordType.choices)
    items = [
        {"record_type": t, "label": labels.get(t, t), "points": r.points, "unit": r.unit, "cap": r.cap}
        for t, r in rules.items()
    ]
    return {
        "year": rule_set.year,
        "version": rule_set.version,
        "own": rule_set.university_id is not None,
        "frozen": rule_set.frozen,
        "note": rule_set.note,
        "created_at": rule_set.created_at,
        "items": items,
    }


class RulesView(APIView):
    """A year's scoring table (Appendix C) in force for the asker's university (its own version, or the
    platform's when it has none), as the rules page shows it to every signed-in user."""

    @extend_schema(responses={200: serializers.RuleSetSerializer}, summary="年度评分规则")
    def get(self, request, year: int):
        table = _rule_table(year, getattr(request.user, "university_id", None))
        return Response(serializers.RuleSetSerializer(table).data)


class RuleRevisionView(APIView):
    """The S&T office revises a year's table: a new version with the changed items; refused once the
    year's results are published (the table is frozen)."""

    @extend_schema(
        request=serializers.RuleRevisionInput,
        responses={201: serializers.RuleSetSerializer},
        summary="修订评分规则",
    )
    def post(self, request, year: int):
        data = parsed(serializers.RuleRevisionInput, request.data)
        changes = {
            item["record_type"]: {k: v for k, v in item.items() if k in {"points", "cap"}}
            for item in data["items"]
        }
        rule_set_revise(year=year, by=request.user, changes=changes, note=data.get("note", ""))
        table = _rule_table(year, request.user.university_id)
        return Response(serializers.RuleSetSerializer(table).data, status=status.HTTP_201_CREATED)
