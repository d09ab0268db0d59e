"""The API for assignments (指派) and the talent rankings (人岗匹配). Reads go through the selectors
(anything the asker may not see is a 404), writes through engagements.assignments (a MatchingError becomes
the API's one error shape), exactly as the pages."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_filters import ListFiltersOnly
from demand.selectors import need_visible_to
from engagements import assignment_selectors as selectors
from engagements import assignment_serializers as serializers
from engagements import assignments as services
from engagements import filters
from matching.errors import MatchingError
from teams.models import Team
from teams.selectors import teams_visible_to
from teams.services import team_assignment_handler_set


def _parsed(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AssignmentViewSet(ListFiltersOnly, viewsets.GenericViewSet):
    """Assignments the asker may see: the platform all; the S&T office its university's teams'; a
    college its teams'; a team member their teams'."""

    serializer_class = serializers.AssignmentSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.AssignmentFilter
    ordering_fields = ["created_at", "deadline", "responded_at", "id"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.assignments_visible_to(self.request.user)

    def _out(self, assignment, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data, status=code)

    @extend_schema(summary="指派列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一条指派")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=serializers.AssignmentInputSerializer,
        responses={201: serializers.AssignmentSerializer},
        summary="指派需求给小分队",
    )
    def create(self, request):
        data = _parsed(serializers.AssignmentInputSerializer, request.data)
        need = need_visible_to(request.user, data["need"])
        if need is None:
            raise MatchingError(_("未找到该需求。"), field="need")
        team = Team.objects.select_related("college").filter(pk=data["team"]).first()
        if team is None:
            raise MatchingError(_("未找到该小分队。"), field="team")
        assignment = services.assignment_create(
            need=need, team=team, by=request.user, deadline=data["deadline"], message=data.get("message", "")
        )
        return self._out(assignment, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.AssignmentScopeSerializer,
        responses={200: serializers.AssignmentSerializer},
        summary="接受指派",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _parsed(serializers.AssignmentScopeSerializer, request.data)
        return self._out(services.assignment_accept(assignment=self.get_object(), by=request.user, **data))

    @extend_schema(
        request=serializers.AssignmentReasonSerializer,
        responses={200: serializers.AssignmentSerializer},
        summary="谢绝指派",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = _parsed(serializers.AssignmentReasonSerializer, request.data)
        return self._out(services.assignment_decline(assignment=self.get_object(), by=request.user, **data))

    @extend_schema(
        request=serializers.AssignmentReasonSerializer,
        responses={200: serializers.AssignmentSerializer},
        summary="撤回指派",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = _parsed(serializers.AssignmentReasonSerializer, request.data)
        return self._out(services.assignment_withdraw(assignment=self.get_object(), by=request.user, **data))


class AssignmentCandidatesView(APIView):
    """For an operator: the teams they may assign the need to, the matcher's ranking first, each with
    its reasons and current load."""

    @extend_schema(responses={200: serializers.CandidateSerializer(many=True)}, summary="可指派的小分队")
    def get(self, request, pk: int):
        need = need_visible_to(request.user, pk)
        if need is None:
            raise NotFound
        if not selectors.assignable_teams(request.user).exists():
            raise MatchingError(_("只有平台管理员或科技处可以指派。"), code="forbidden")
        rows = [
            {
                "team": {"id": c.team.pk, "name": c.team.name},
                "rank": c.rank,
                "score": c.score,
                "reasons": c.explained.reasons,
                "matched_keywords": c.explained.matched_keywords,
                "open_engagements": c.open_engagements,
                "pending_assignments": c.pending_assignments,
                "busy_on_need": c.busy_on_need,
            }
            for c in selectors.assignment_candidates(request.user, need)
        ]
        return Response(serializers.CandidateSerializer(rows, many=True).data)


def _stats_row(team, stats) -> dict:
    return {
        "team": {"id": team.pk, "name": team.name},
        "total": stats.total,
        "pending": stats.pending,
        "accepted": stats.accepted,
        "declined": stats.declined,
        "escalated": stats.escalated,
        "withdrawn": stats.withdrawn,
        "accept_rate": stats.accept_rate,
        "median_response_hours": stats.median_response_hours,
    }


class AssignmentStatsView(APIView):
    """Per team: assignment counts by outcome and the median response time, over the assignments the
    asker may see (the dashboard's figures)."""

    @extend_schema(responses={200: serializers.AssignmentStatsSerializer(many=True)}, summary="指派统计")
    def get(self, request):
        by_team = selectors.assignment_stats_by_team(selectors.assignments_visible_to(request.user))
        teams = Team.objects.filter(pk__in=by_team).order_by("name")
        rows = sorted(
            (_stats_row(t, by_team[t.pk]) for t in teams), key=lambda r: (-r["total"], r["team"]["name"])
        )
        return Response(serializers.AssignmentStatsSerializer(rows, many=True).data)


class AssignmentHandlerView(APIView):
    """The member who answers a team's assignments: named by its captain or a deputy."""

    @extend_schema(
        request=serializers.HandlerInputSerializer,
        responses={200: serializers.HandlerSerializer},
        summary="指定指派对接人",
    )
    def put(self, request, pk: int):
        team = teams_visible_to(request.user).filter(pk=pk).first()
        if team is None:
            raise NotFound
        data = _parsed(serializers.HandlerInputSerializer, request.data)
        member = None
        if data["member"] is not None:
            member = team.members.filter(pk=data["member"]).select_related("user").first()
            if member is None:
                raise MatchingError(_("指派对接人必须是本小分队成员。"), field="member")
        team = team_assignment_handler_set(team=team, member=member, by=request.user)
        handler = team.assignment_handler
        body = {
            "team": {"id": team.pk, "name": team.name},
            "handler": {"id": handler.pk, "name": handler.name} if handler else None,
        }
        return Response(serializers.HandlerSerializer(body).data)
