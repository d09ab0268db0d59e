"""The API for recommendations both ways (a need's teams, a team's needs) and engagements (对接).

Reads go through matching.selectors and demand/teams selectors (anything else is a 404), writes through
engagements.services, whose MatchingError becomes the API's one error shape.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_support import one_of, parsed, parsed_form
from demand.selectors import is_moderator, is_owner, need_owned_by, need_visible_to
from engagements import filters, forms, selectors, serializers, services
from engagements.models import Engagement
from matching import filters as matching_filters
from matching import selectors as recommendations
from matching.errors import MatchingError
from matching.models import Recommendation
from teams.forms import RecordForm
from teams.permissions import team_member_of
from teams.selectors import records_visible_to, teams_serving
from teams.serializers import RecordInput, RecordSerializer


class NeedRecommendations(APIView):
    """The teams ranked for a need, with reasons: for the need's enterprise and moderators only."""

    @extend_schema(
        responses={200: serializers.RecommendedTeamSerializer(many=True)}, summary="为需求推荐的小分队"
    )
    def get(self, request, pk: int):
        need = need_visible_to(request.user, pk)
        if need is None or not (is_owner(request.user, need) or is_moderator(request.user)):
            raise NotFound
        items = [
            {
                "rank": item.rank,
                "score": item.score,
                "team": {"id": item.team.pk, "name": item.team.name},
                "explained": serializers.ExplainedSerializer(item.explained).data,
                "industries": item.industries,
                "regions": item.regions,
                "keywords": item.keywords,
                "summary": item.summary,
                "engagement": {"id": item.engagement.pk, "status": item.engagement.status}
                if item.engagement
                else None,
            }
            for item in selectors.need_recommendations(need)
        ]
        return Response(serializers.RecommendedTeamSerializer(items, many=True).data)


class TeamRecommendations(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The open needs recommended to a team, best first: for the team's members only."""

    serializer_class = serializers.RecommendedNeedSerializer
    queryset = Recommendation.objects.none()  # the model, for the schema; get_queryset is the team's feed
    filter_backends = [DjangoFilterBackend]
    filterset_class = matching_filters.FeedFilter

    def get_queryset(self):
        self.team = one_of(recommendations.teams_of_member(self.request.user), self.kwargs["pk"])
        return recommendations.team_feed(self.team)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "team", None) is not None:
            context["engagements"] = selectors.team_open_engagements(self.team)
        return context

    @extend_schema(summary="为小分队推荐的需求")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class EngagementViewSet(viewsets.GenericViewSet):
    """Engagements the asker may see: an enterprise its needs', a member their teams', a college or an
    S&T office its teams'; platform administrators all."""

    serializer_class = serializers.EngagementSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.EngagementFilter
    ordering_fields = ["created_at", "agreed_at", "completed_at", "id"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.engagements_visible_to(self.request.user)

    def get_object(self):
        return one_of(self.get_queryset(), self.kwargs["pk"])

    def _out(self, engagement, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_object_by_pk(engagement.pk)).data, status=code)

    def get_object_by_pk(self, pk):
        return one_of(selectors.engagements_visible_to(self.request.user), pk)

    @extend_schema(summary="对接列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一次对接")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=serializers.EngagementCreateInput,
        responses={201: serializers.EngagementSerializer},
        summary="邀请或揭榜",
    )
    def create(self, request):
        data = parsed(serializers.EngagementCreateInput, request.data)
        user, message = request.user, data.get("message", "")
        if data["origin"] == Engagement.Origin.INVITATION:
            need = need_owned_by(user, data["need"])
            if need is None:
                raise NotFound
            team = teams_serving().filter(pk=data["team"]).first()
            if team is None:
                raise MatchingError(_("该小分队当前不在运行状态，不能邀请。"), field="team")
            engagement = services.engagement_invite(need=need, team=team, by=user, message=message)
        else:
            need = need_visible_to(user, data["need"])
            if need is None or need.status not in services.NEED_OPEN:
                raise NotFound
            team = teams_serving().filter(pk=data["team"]).first()
            if team is None:
                raise MatchingError(_("该小分队当前不在运行状态，不能揭榜。"), field="team")
            engagement = services.engagement_express_interest(need=need, team=team, by=user, proposal=message)
        return self._out(engagement, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ScopeInput, responses={200: serializers.EngagementSerializer}, summary="接受对接"
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        form = parsed_form(forms.ScopeForm, request.data)
        engagement = services.engagement_accept(
            engagement=self.get_object(), by=request.user, scope=form.cleaned_data["scope"]
        )
        return self._out(engagement)

    @extend_schema(
        request=serializers.ReasonInput, responses={200: serializers.EngagementSerializer}, summary="谢绝对接"
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        form = parsed_form(forms.DeclineForm, request.data)
        engagement = services.engagement_decline(
            engagement=self.get_object(), by=request.user, reason=form.cleaned_data["reason"]
        )
        return self._out(engagement)

    @extend_schema(request=None, responses={200: serializers.EngagementSerializer}, summary="开始服务")
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._out(services.engagement_start(engagement=self.get_object(), by=request.user))

    @extend_schema(
        request=serializers.CompleteInput,
        responses={200: serializers.EngagementSerializer},
        summary="确认完成并评价",
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        form = parsed_form(forms.CompleteForm, request.data)
        engagement = services.engagement_complete(
            engagement=self.get_object(),
            by=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
        return self._out(engagement)

    @extend_schema(
        request=serializers.ReasonInput, responses={200: serializers.EngagementSerializer}, summary="取消对接"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        form = parsed_form(forms.CancelForm, request.data)
        engagement = services.engagement_cancel(
            engagement=self.get_object(), by=request.user, reason=form.cleaned_data["reason"]
        )
        return self._out(engagement)

    @extend_schema(request=RecordInput, responses={201: RecordSerializer}, summary="为对接填写服务记录")
    @action(detail=True, methods=["post"])
    def records(self, request, pk=None):
        """A service record written against this engagement (the served enterprise is the need's, as
        the page pre-fills it), saved and linked by the page's one service, engagement_record_create:
        both or neither."""
        engagement = self.get_object()
        if not team_member_of(request.user, engagement.team):
            raise MatchingError(_("只有本小分队成员可以填写服务记录。"), code="forbidden")
        form = parsed_form(RecordForm, request.data, team=engagement.team)
        record = services.engagement_record_create(
            engagement=engagement, by=request.user, **form.service_arguments()
        )
        record = records_visible_to(request.user).get(pk=record.pk)
        return Response(
            RecordSerializer(record, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
