"""The API for teams, members, portraits, service records, evidence and reviews.

Reads go through teams.selectors (another college's team is a 404, never a hint), input through the
pages' forms (teams.forms: the same parsing and messages), writes through teams.services and
teams.records, whose TeamsError becomes the API's one error shape (core.api_errors).
"""

from datetime import date
from decimal import Decimal

from django.db.models import Model
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api_filters import ListFiltersOnly
from core.api_support import one_of, parsed, parsed_form
from teams import captaincy, claims, filters, forms, selectors, serializers
from teams import permissions as team_permissions
from teams.errors import TeamsError
from teams.evidence import evidence_add, evidence_file_response
from teams.models import CaptainChange, Evidence, Member, Team
from teams.records import record_create, record_transition, record_update
from teams.services import (
    EDITABLE_STATES,
    call_create,
    member_add,
    member_remove,
    member_update,
    rectification_close,
    rectification_open,
    team_draft_create,
    team_transition,
    team_update,
)

DIGITS = r"[0-9]+"
TEAM_LIST_JOINED = ("industries", "regions", "served_enterprises", "keywords")


def _plain(value):
    """A form's initial value as the form would receive it in a request."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return "" if value is None else value


def _merged(initial: dict, data) -> dict:
    """A partial update: what is stored, overlaid with what the request changes."""
    if not isinstance(data, dict) and not hasattr(data, "getlist"):
        raise TeamsError(_("请求内容应为 JSON 对象。"))
    incoming = {k: data.get(k) for k in data.keys()} if hasattr(data, "getlist") else dict(data)
    return {**{k: _plain(v) for k, v in initial.items()}, **incoming}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise TeamsError(message, code="forbidden")


# ---------------------------------------------------------------------------------------------- teams


class TeamViewSet(viewsets.GenericViewSet):
    """Teams whose internals the asker may see: its members', its college's, its university's S&T
    office's; platform administrators all. Public portraits are /portraits/."""

    serializer_class = serializers.TeamSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.TeamFilter
    ordering_fields = ["name", "status", "created_at", "updated_at", "id"]
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return selectors.teams_visible_to(self.request.user).prefetch_related(
            "industries", "regions", "disciplines", "served_enterprises"
        )

    def get_object(self):
        return one_of(self.get_queryset(), self.kwargs["pk"])

    def _out(self, team, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=team.pk)).data, status=code)

    @extend_schema(summary="小分队列表")
    def list(self, request):
        qs = self.filter_queryset(self.get_queryset().order_by("status", "name"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一支小分队")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=serializers.TeamCreateInput, responses={201: serializers.TeamSerializer}, summary="组建小分队"
    )
    def create(self, request):
        form = parsed_form(forms.TeamCreateForm, request.data, user=request.user)
        team = team_draft_create(by=request.user, **form.service_arguments())
        return self._out(team, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.TeamUpdateInput, responses={200: serializers.TeamSerializer}, summary="修改小分队"
    )
    def partial_update(self, request, pk=None):
        team = self.get_object()
        _require(
            team_permissions.team_manager_of(request.user, team), _("只有队长或副队长可以修改小分队信息。")
        )
        data = _merged(forms.TeamEditForm.initial_for(team), request.data)
        form = parsed_form(
            forms.TeamEditForm,
            data,
            joined=TEAM_LIST_JOINED,
            team=team,
            name_editable=team.status in EDITABLE_STATES,
        )
        team = team_update(team=team, by=request.user, **form.service_arguments())
        return self._out(team)

    @extend_schema(responses={200: serializers.HistorySerializer(many=True)}, summary="流转记录")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(serializers.history_rows(selectors.team_history(self.get_object())))

    @extend_schema(
        request=serializers.TransitionInput,
        responses={200: serializers.TeamSerializer},
        summary="申报流程操作",
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        """One step of Appendix E's flow (submit, college_approve …); teams.services decides."""
        data = parsed(serializers.TransitionInput, request.data)
        team = team_transition(
            team=self.get_object(), action=data["action"], by=request.user, comment=data.get("comment", "")
        )
        return self._out(team)

    @extend_schema(
        request=serializers.ReviewInput, responses={200: serializers.TeamSerializer}, summary="审核申报"
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The college's review, or the S&T office's after it, whichever the asker is."""
        team = self.get_object()
        data = parsed(serializers.ReviewInput, request.data)
        if team_permissions.college_reviewer_of(request.user, team):
            step = "college_approve" if data["approve"] else "college_return"
        elif team_permissions.office_reviewer_of(request.user, team):
            step = "office_approve" if data["approve"] else "office_return"
        else:
            raise TeamsError(_("只有本学院或本校科技处可以审核该申报。"), code="forbidden")
        team = team_transition(team=team, action=step, by=request.user, comment=data.get("comment", ""))
        return self._out(team)

    @extend_schema(
        request=serializers.RectificationInput,
        responses={201: serializers.TeamSerializer},
        summary="责令整改",
    )
    @action(detail=True, methods=["post"])
    def rectifications(self, request, pk=None):
        team = self.get_object()
        _require(team_permissions.office_reviewer_of(request.user, team), _("只有本校科技处可以责令整改。"))
        form = parsed_form(forms.RectificationForm, request.data)
        rectification_open(team=team, by=request.user, **form.cleaned_data)
        return self._out(team, status.HTTP_201_CREATED)

    @extend_schema(responses={200: serializers.MemberSerializer(many=True)}, summary="小分队成员")
    @action(detail=True, methods=["get"], pagination_class=None)
    def members(self, request, pk=None):
        members = self.get_object().members.select_related("enterprise")
        return Response(serializers.MemberSerializer(members, many=True).data)

    @extend_schema(
        methods=["get"],
        responses={200: serializers.CaptainChangeSerializer(many=True)},
        summary="队长变更记录",
    )
    @extend_schema(
        methods=["post"],
        request=serializers.CaptainChangeInput,
        responses={201: serializers.CaptainChangeSerializer},
        summary="申请变更队长",
    )
    @action(detail=True, methods=["get", "post"], url_path="captain-changes", pagination_class=None)
    def captain_changes(self, request, pk=None):
        """The team's captain history; the captain asks for a change (the college decides)."""
        team = self.get_object()
        if request.method == "GET":
            rows = captaincy.captain_changes_of(team)
            return Response(serializers.CaptainChangeSerializer(rows, many=True).data)
        _require(captaincy.captain_of(request.user, team), _("只有现任队长可以提出队长变更申请。"))
        form = parsed_form(forms.CaptainChangeForm, request.data, team=team)
        change = captaincy.captain_change_request(team=team, by=request.user, **form.cleaned_data)
        return Response(serializers.CaptainChangeSerializer(change).data, status=status.HTTP_201_CREATED)


# -------------------------------------------------------------------------------------------- members


class MemberViewSet(
    ListFiltersOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Members of the teams the asker may see; captains and deputies maintain them."""

    serializer_class = serializers.MemberSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.MemberFilter
    lookup_value_regex = DIGITS

    def get_queryset(self):
        qs = Member.objects.filter(team__in=selectors.teams_visible_to(self.request.user))
        return qs.select_related("team", "enterprise").order_by("team_id", "role", "id")

    @extend_schema(summary="成员列表")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=serializers.MemberInput, responses={201: serializers.MemberSerializer}, summary="添加成员"
    )
    def create(self, request):
        team_pk = request.data.get("team") if hasattr(request.data, "get") else None
        team = one_of(selectors.teams_visible_to(request.user), team_pk)
        _require(team_permissions.team_manager_of(request.user, team), _("只有队长或副队长可以维护成员。"))
        form = parsed_form(forms.MemberAddForm, request.data, team=team)
        member = member_add(team=team, by=request.user, **form.service_arguments())
        return Response(serializers.MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.MemberInput, responses={200: serializers.MemberSerializer}, summary="修改成员"
    )
    def partial_update(self, request, pk=None):
        member = self.get_object()
        _require(
            team_permissions.team_manager_of(request.user, member.team), _("只有队长或副队长可以维护成员。")
        )
        data = _merged(forms.MemberEditForm.initial_for(member), request.data)
        form = parsed_form(forms.MemberEditForm, data, member=member)
        member = member_update(member=member, by=request.user, **form.service_arguments())
        return Response(serializers.MemberSerializer(member).data)

    @extend_schema(summary="移除成员")
    def destroy(self, request, pk=None):
        member_remove(member=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None, responses={201: serializers.MemberClaimIssuedSerializer}, summary="发出认领邀请"
    )
    @action(detail=True, methods=["post"])
    def claims(self, request, pk=None):
        """A one-time invitation for a member without an account: its code is in this answer only."""
        member = self.get_object()
        _require(
            claims.claim_issuer_of(request.user, member.team), _("只有队长或本学院管理员可以发出认领邀请。")
        )
        claim, token = claims.member_claim_issue(member=member, by=request.user)
        body = {"claim": claim, "code": token, "link": request.build_absolute_uri(claims.claim_link(token))}
        return Response(serializers.MemberClaimIssuedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.MemberLinkInput,
        responses={200: serializers.MemberSerializer},
        summary="关联成员账号",
    )
    @action(detail=True, methods=["post"])
    def account(self, request, pk=None):
        """The college's administrator links an account of the college to a member who has none."""
        member = self.get_object()
        _require(
            team_permissions.college_reviewer_of(request.user, member.team),
            _("只有本学院管理员可以直接关联成员账号。"),
        )
        form = parsed_form(forms.MemberLinkForm, request.data, team=member.team)
        member = claims.member_account_link(member=member, user=form.cleaned_data["user"], by=request.user)
        return Response(serializers.MemberSerializer(member).data)


class MemberClaimViewSet(viewsets.GenericViewSet):
    """认领: a signed-in teacher or student claims the membership an invitation is for."""

    serializer_class = serializers.MemberSerializer
    filter_backends: list = []

    @extend_schema(
        request=serializers.ClaimRedeemInput,
        responses={200: serializers.MemberSerializer},
        summary="认领成员身份",
    )
    @action(detail=False, methods=["post"])
    def redeem(self, request):
        data = parsed(serializers.ClaimRedeemInput, request.data)
        member = claims.member_claim_redeem(token=data["token"], by=request.user)
        return Response(serializers.MemberSerializer(member).data)


class CaptainChangeViewSet(viewsets.GenericViewSet):
    """队长变更 of the teams the asker may see: the college decides, the captain may withdraw."""

    serializer_class = serializers.CaptainChangeSerializer
    filter_backends: list = []
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return CaptainChange.objects.filter(team__in=selectors.teams_visible_to(self.request.user))

    @extend_schema(
        request=serializers.CaptainChangeDecisionInput,
        responses={200: serializers.CaptainChangeSerializer},
        summary="审核队长变更",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        change = one_of(self.get_queryset(), pk)
        data = parsed(serializers.CaptainChangeDecisionInput, request.data)
        change = captaincy.captain_change_decide(
            change=change, by=request.user, approve=data["approve"], comment=data.get("comment", "")
        )
        return Response(self.get_serializer(change).data)

    @extend_schema(
        request=None, responses={200: serializers.CaptainChangeSerializer}, summary="撤回队长变更申请"
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        change = captaincy.captain_change_withdraw(change=one_of(self.get_queryset(), pk), by=request.user)
        return Response(self.get_serializer(change).data)


# ------------------------------------------------------------------------------------------ portraits


class PortraitViewSet(viewsets.GenericViewSet):
    """Serving teams' public portraits (画像): what enterprises and the public see, never contacts."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.PortraitSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.PortraitFilter
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return selectors.teams_serving().select_related("college").order_by("name", "id")

    def _portraits(self, teams):
        teams = list(teams)
        if teams:
            teams = list(
                Team.objects.filter(pk__in=[t.pk for t in teams])
                .select_related("college")
                .prefetch_related("industries", "regions", "disciplines", "served_enterprises", "members")
                .order_by("name", "id")
            )
        return [serializers.PortraitSerializer(selectors.team_portrait(t)).data for t in teams]

    @extend_schema(summary="小分队画像列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._portraits(page))

    @extend_schema(summary="一支小分队的画像")
    def retrieve(self, request, pk=None):
        team = one_of(self.get_queryset(), pk)
        return Response(self._portraits([team])[0])


# ----------------------------------------------------------------------------------- service records


class RecordViewSet(viewsets.GenericViewSet):
    """Service records of the teams the asker may see; members write them, the college reviews them."""

    serializer_class = serializers.RecordSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.RecordFilter
    ordering_fields = ["date", "created_at", "updated_at", "id"]
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return (
            selectors.records_visible_to(self.request.user)
            .select_related("team", "team__college", "served_enterprise")
            .prefetch_related("participants", "evidence")
        )

    def get_object(self):
        return one_of(self.get_queryset(), self.kwargs["pk"])

    def _out(self, record, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=code)

    @extend_schema(summary="服务记录列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset().order_by("-date", "-id")))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一条服务记录")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=serializers.RecordInput, responses={201: serializers.RecordSerializer}, summary="填报服务记录"
    )
    def create(self, request):
        team_pk = request.data.get("team") if hasattr(request.data, "get") else None
        team = one_of(selectors.teams_visible_to(request.user), team_pk)
        _require(team_permissions.team_member_of(request.user, team), _("只有本小分队成员可以填报服务记录。"))
        form = parsed_form(forms.RecordForm, request.data, team=team)
        record = record_create(team=team, by=request.user, **form.service_arguments())
        return self._out(record, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.RecordInput, responses={200: serializers.RecordSerializer}, summary="修改服务记录"
    )
    def partial_update(self, request, pk=None):
        record = self.get_object()
        _require(
            team_permissions.team_member_of(request.user, record.team),
            _("只有本小分队成员可以修改服务记录。"),
        )
        data = _merged(forms.RecordForm.initial_for(record), request.data)
        form = parsed_form(forms.RecordForm, data, team=record.team)
        record = record_update(record=record, by=request.user, **form.service_arguments())
        return self._out(record)

    @extend_schema(request=None, responses={200: serializers.RecordSerializer}, summary="提交审核")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._out(record_transition(record=self.get_object(), action="submit", by=request.user))

    @extend_schema(
        request=serializers.ReviewInput, responses={200: serializers.RecordSerializer}, summary="学院审核"
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = parsed(serializers.ReviewInput, request.data)
        record = record_transition(
            record=self.get_object(),
            action="approve" if data["approve"] else "return",
            by=request.user,
            comment=data.get("comment", ""),
        )
        return self._out(record)

    @extend_schema(responses={200: serializers.HistorySerializer(many=True)}, summary="流转记录")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(serializers.history_rows(selectors.record_history(self.get_object())))

    @extend_schema(
        methods=["get"], responses={200: serializers.EvidenceSerializer(many=True)}, summary="佐证材料列表"
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={201: serializers.EvidenceSerializer},
        summary="上传佐证材料",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def evidence(self, request, pk=None):
        record = self.get_object()
        if request.method == "GET":
            return Response(serializers.EvidenceSerializer(record.evidence.all(), many=True).data)
        _require(
            team_permissions.team_member_of(request.user, record.team),
            _("只有本小分队成员可以上传佐证材料。"),
        )
        form = parsed_form(forms.EvidenceForm, request.POST, files=request.FILES)
        evidence = evidence_add(record=record, by=request.user, upload=form.cleaned_data["file"])
        return Response(serializers.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceViewSet(viewsets.GenericViewSet):
    """佐证材料 are private: served only to those who may see the team's records."""

    serializer_class = serializers.EvidenceSerializer
    filter_backends: list = []
    lookup_value_regex = DIGITS

    def get_queryset(self):
        return Evidence.objects.filter(record__in=selectors.records_visible_to(self.request.user))

    @extend_schema(summary="一份佐证材料")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(one_of(self.get_queryset(), pk)).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}, summary="下载"
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = one_of(self.get_queryset().select_related("record__team"), pk)
        try:
            return evidence_file_response(evidence)
        except FileNotFoundError as exc:
            raise NotFound from exc


# --------------------------------------------------------------------------------------------- reviews


class TeamReviewQueue(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Applications waiting for the asker: a college's submitted ones, an S&T office's college-approved."""

    serializer_class = serializers.TeamSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.PortraitFilter  # words, college, industry, discipline: as the portraits

    def get_queryset(self):
        user = self.request.user
        waiting = selectors.college_review_queue(user) | selectors.office_review_queue(user)
        return (
            selectors.teams_visible_to(user).filter(pk__in=waiting.values("pk")).order_by("updated_at", "id")
        )

    @extend_schema(summary="待审核的申报")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class RecordReviewQueue(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Service records waiting for the asker's college."""

    serializer_class = serializers.RecordSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.RecordQueueFilter

    def get_queryset(self):
        user = self.request.user
        return (
            selectors.records_review_queue(user)
            .filter(team__in=selectors.teams_visible_to(user))
            .select_related("team", "served_enterprise")
            .prefetch_related("participants", "evidence")
            .order_by("created_at", "id")
        )

    @extend_schema(summary="待审核的服务记录")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


# ---------------------------------------------------------------------------------- calls, rectifications


class CallViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """申报批次 of the asker's university; the S&T office publishes them."""

    serializer_class = serializers.CallSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.CallFilter

    def get_queryset(self):
        return selectors.calls_visible_to(self.request.user).order_by("-year", "-deadline", "-id")

    @extend_schema(summary="申报批次")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=serializers.CallInput, responses={201: serializers.CallSerializer}, summary="发布申报批次"
    )
    def create(self, request):
        form = parsed_form(forms.CallForm, request.data)
        call = call_create(by=request.user, **form.cleaned_data)
        return Response(serializers.CallSerializer(call).data, status=status.HTTP_201_CREATED)


class RectificationViewSet(viewsets.GenericViewSet):
    """整改 of the teams the asker may see; the S&T office closes them."""

    serializer_class = serializers.TeamSerializer
    filter_backends: list = []
    lookup_value_regex = DIGITS

    @extend_schema(
        request=serializers.RectificationCloseInput,
        responses={200: serializers.TeamSerializer},
        summary="整改完成",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        rectification = one_of(selectors.rectifications_visible_to(request.user), pk)
        form = parsed_form(forms.RectificationCloseForm, request.data)
        rectification_close(rectification=rectification, by=request.user, **form.cleaned_data)
        team = selectors.teams_visible_to(request.user).get(pk=rectification.team_id)
        return Response(serializers.TeamSerializer(team, context={"request": request}).data)
