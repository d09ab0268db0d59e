"""The API for 人岗匹配 (the teams' side): the student's own profile, openings and applications. Reads
go through talent.services's selectors (anything else is a 404), writes through talent.services's services
(a TeamsError becomes the API's one error shape), exactly as the pages. The rankings are matching's
(engagements.apis)."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Enterprise
from core.api_filters import ListFiltersOnly
from reference.models import Discipline
from talent import filters, ranking, serializers, services
from talent.models import StudentProfile
from teams.errors import TeamsError
from teams.permissions import team_manager_of


def _parsed(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _discipline(name: str):
    name = (name or "").strip()
    if not name:
        return None
    found = Discipline.objects.filter(name=name).order_by("scheme", "code").first()
    if found is None:
        raise TeamsError(_("未找到学科“%(n)s”。") % {"n": name[:50]}, field="discipline")
    return found


class StudentProfileView(APIView):
    """The asker's own student profile."""

    @extend_schema(responses={200: serializers.StudentProfileSerializer}, summary="我的学生档案")
    def get(self, request):
        profile = StudentProfile.objects.filter(user=request.user).first()
        if profile is None:
            raise NotFound(_("尚未填写学生档案。"))
        return Response(serializers.StudentProfileSerializer(profile).data)

    @extend_schema(
        request=serializers.StudentProfileInputSerializer,
        responses={200: serializers.StudentProfileSerializer},
        summary="保存我的学生档案",
    )
    def put(self, request):
        data = dict(_parsed(serializers.StudentProfileInputSerializer, request.data))
        data["discipline"] = _discipline(data.pop("discipline", ""))
        profile = services.profile_save(user=request.user, **data)
        return Response(serializers.StudentProfileSerializer(profile).data)


class OpeningViewSet(ListFiltersOnly, viewsets.GenericViewSet):
    """Openings the asker may see: recruiting ones for everyone signed in; any of their teams'."""

    serializer_class = serializers.OpeningSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.OpeningFilter
    ordering_fields = ["created_at", "deadline", "id"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return services.openings_visible_to(self.request.user).order_by("-created_at", "-id")

    def _out(self, opening, code=status.HTTP_200_OK):
        return Response(self.get_serializer(opening).data, status=code)

    @extend_schema(summary="招募岗位列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一个招募岗位")
    def retrieve(self, request, pk=None):
        return self._out(self.get_object())

    @extend_schema(
        request=serializers.OpeningInputSerializer,
        responses={201: serializers.OpeningSerializer},
        summary="发布招募岗位",
    )
    def create(self, request):
        data = dict(_parsed(serializers.OpeningInputSerializer, request.data))
        team = services.teams_managed_by(request.user).filter(pk=data.pop("team")).first()
        if team is None:
            raise TeamsError(_("只能为您担任队长或副队长的运行中小分队发布岗位。"), code="forbidden")
        enterprise_id = data.pop("enterprise", None)
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
        if enterprise_id and enterprise is None:
            raise TeamsError(_("未找到该实习企业。"), field="enterprise")
        opening = services.opening_create(team=team, by=request.user, enterprise=enterprise, **data)
        return self._out(opening, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: serializers.OpeningSerializer}, summary="关闭招募岗位")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._out(services.opening_close(opening=self.get_object(), by=request.user))

    @extend_schema(
        request=serializers.ApplyInputSerializer,
        responses={201: serializers.ApplicationSerializer},
        summary="申请岗位",
    )
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        data = _parsed(serializers.ApplyInputSerializer, request.data)
        application = services.application_submit(opening=self.get_object(), by=request.user, **data)
        return Response(serializers.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationViewSet(ListFiltersOnly, viewsets.GenericViewSet):
    """The asker's own applications, and those to openings of the teams they manage."""

    serializer_class = serializers.ApplicationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.ApplicationFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return services.applications_visible_to(self.request.user).order_by("-created_at", "-id")

    def _out(self, application):
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(summary="岗位申请列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一份岗位申请")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=serializers.ApplicationAcceptSerializer,
        responses={200: serializers.ApplicationSerializer},
        summary="录用",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _parsed(serializers.ApplicationAcceptSerializer, request.data or {})
        application = services.application_accept(
            application=self.get_object(), by=request.user, agreement_number=data.get("agreement_number", "")
        )
        return self._out(application)

    @extend_schema(
        request=serializers.ApplicationDeclineSerializer,
        responses={200: serializers.ApplicationSerializer},
        summary="不录用",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = _parsed(serializers.ApplicationDeclineSerializer, request.data)
        application = services.application_decline(application=self.get_object(), by=request.user, **data)
        return self._out(application)

    @extend_schema(request=None, responses={200: serializers.ApplicationSerializer}, summary="撤回申请")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._out(services.application_withdraw(application=self.get_object(), by=request.user))


class RankedStudentsView(APIView):
    """For the team's captain and deputies: students ranked for an opening, with reasons."""

    @extend_schema(responses={200: serializers.RankedStudentSerializer(many=True)}, summary="为岗位推荐学生")
    def get(self, request, pk: int):
        opening = services.openings_visible_to(request.user).filter(pk=pk).first()
        if opening is None:
            raise NotFound
        if not team_manager_of(request.user, opening.team):
            raise TeamsError(_("只有该小分队的队长或副队长可以查看推荐学生。"), code="forbidden")
        ranked = ranking.students_for_opening(opening)
        return Response(serializers.RankedStudentSerializer(ranked, many=True).data)


class RankedOpeningsView(APIView):
    """For a student with a profile: recruiting openings ranked for them, with reasons."""

    @extend_schema(responses={200: serializers.RankedOpeningSerializer(many=True)}, summary="为我推荐岗位")
    def get(self, request):
        profile = StudentProfile.objects.filter(user=request.user).first()
        if profile is None:
            raise NotFound(_("尚未填写学生档案。"))
        ranked = ranking.openings_for_student(profile)
        return Response(serializers.RankedOpeningSerializer(ranked, many=True).data)
