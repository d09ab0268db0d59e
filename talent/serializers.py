"""What the API shows of students' profiles, openings and applications (人岗匹配), and the input it
accepts. Serializers only parse types; every rule lives in talent.services, as for the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import RefSerializer
from talent.models import Application, Opening, StudentProfile


class StudentProfileSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    level = serializers.CharField()
    level_label = serializers.CharField(source="get_level_display")
    discipline = serializers.SerializerMethodField()

    class Meta:
        model = StudentProfile
        fields = [
            "id", "name", "level", "level_label", "major", "discipline", "year", "skills", "interests",
            "hours_per_week", "available_note", "open_to_offers", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_name(self, profile) -> str:
        return str(profile.user)

    def get_discipline(self, profile) -> str | None:
        return profile.discipline.name if profile.discipline_id else None


class StudentProfileInputSerializer(serializers.Serializer):
    # A plain string: talent.services checks the value (with the page's message), and a second enum named
    # "level" would collide in the schema with the reference taxonomies' levels.
    level = serializers.CharField(
        label=_("学生层次"), max_length=16, help_text=_("graduate 或 undergraduate")
    )
    major = serializers.CharField(label=_("专业"), max_length=50)
    discipline = serializers.CharField(
        label=_("所属学科"), max_length=100, required=False, allow_blank=True, help_text=_("一级学科名称")
    )
    year = serializers.IntegerField(label=_("入学年份"))
    hours_per_week = serializers.IntegerField(label=_("每周可投入（小时）"))
    skills = serializers.ListField(
        child=serializers.CharField(max_length=50), label=_("技能"), required=False, max_length=50
    )
    interests = serializers.CharField(
        label=_("兴趣与方向"), max_length=1000, required=False, allow_blank=True
    )
    available_note = serializers.CharField(
        label=_("可参与时间说明"), max_length=200, required=False, allow_blank=True
    )
    open_to_offers = serializers.BooleanField(label=_("接受团队推荐"), required=False, default=True)


class OpeningSerializer(serializers.ModelSerializer):
    team = RefSerializer()
    enterprise = RefSerializer(allow_null=True)
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Opening
        fields = [
            "id", "team", "kind", "kind_label", "title", "description", "skills", "enterprise", "slots",
            "hours_per_week", "deadline", "status", "status_label", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class OpeningInputSerializer(serializers.Serializer):
    team = serializers.IntegerField(label=_("小分队"))
    # A plain string (talent.services checks it): another enum named "kind" would collide in the schema.
    kind = serializers.CharField(
        label=_("岗位类型"), max_length=24, help_text=_("research_assistant、internship 或 project_role")
    )
    title = serializers.CharField(label=_("岗位名称"), max_length=100)
    description = serializers.CharField(label=_("岗位说明"), max_length=2000)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=50), label=_("所需技能"), required=False, max_length=50
    )
    enterprise = serializers.IntegerField(label=_("实习企业"), required=False, allow_null=True)
    slots = serializers.IntegerField(label=_("名额"))
    hours_per_week = serializers.IntegerField(label=_("每周投入（小时）"))
    deadline = serializers.DateField(label=_("报名截止"))


class ApplicationSerializer(serializers.ModelSerializer):
    opening = serializers.SerializerMethodField()
    student = StudentProfileSerializer()
    status_label = serializers.CharField(source="get_status_display")
    record = serializers.IntegerField(source="record_id", allow_null=True, help_text=_("实习协议服务记录"))

    class Meta:
        model = Application
        fields = [
            "id", "opening", "student", "statement", "status", "status_label", "reason", "decided_at",
            "record", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(RefSerializer)
    def get_opening(self, application):
        return {"id": application.opening_id, "name": application.opening.title}


class ApplyInputSerializer(serializers.Serializer):
    statement = serializers.CharField(label=_("申请说明"), max_length=1000, required=False, allow_blank=True)


class ApplicationAcceptSerializer(serializers.Serializer):
    agreement_number = serializers.CharField(
        label=_("实习协议编号"),
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("企业实习必填：同一份实习协议安排的学生填写相同编号，计为一份协议"),
    )


class ApplicationDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("原因"), max_length=200)


class ExplanationSerializer(serializers.Serializer):
    """The matcher's reasons: per-factor contributions that add up to `total`, the raw signals, the
    shared keywords and sentences in Chinese."""

    total = serializers.FloatField()
    contributions = serializers.DictField(child=serializers.FloatField())
    signals = serializers.DictField(child=serializers.FloatField())
    matched_keywords = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())


class RankedStudentSerializer(serializers.Serializer):
    student = StudentProfileSerializer(source="profile")
    score = serializers.FloatField()
    explanation = ExplanationSerializer()


class RankedOpeningSerializer(serializers.Serializer):
    opening = OpeningSerializer()
    score = serializers.FloatField()
    explanation = ExplanationSerializer()
