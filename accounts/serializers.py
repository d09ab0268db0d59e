"""What the API shows of users and notifications, and the sign-in input it accepts."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Notification, User
from accounts.notifications import safe_link


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(label=_("密码"), max_length=128, trim_whitespace=False)


class OrganisationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")


class ContactInput(serializers.Serializer):
    """Checked by accounts.forms.ContactForm; fields left out keep their values."""

    real_name = serializers.CharField(label=_("姓名"), max_length=50, required=False)
    phone = serializers.CharField(label=_("手机号"), max_length=11, required=False, allow_blank=True)
    email = serializers.CharField(label=_("电子邮箱"), max_length=254, required=False, allow_blank=True)
    title = serializers.CharField(label=_("职称"), max_length=30, required=False, allow_blank=True)


class MeSerializer(serializers.ModelSerializer):
    # Plain text, not "format: email": a user created by an administrator may have none (""), and the
    # schema must not promise an address that is not there (found by tests/api/test_schemathesis.py).
    email = serializers.CharField(read_only=True, label=_("电子邮件地址"))
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organisation = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id", "username", "real_name", "email", "phone", "title", "role", "role_label",
            "organisation", "memberships",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OrganisationSerializer(allow_null=True))
    def get_organisation(self, user):
        from accounts.models import ROLE_ORGANISATION_FIELD

        field = ROLE_ORGANISATION_FIELD.get(user.role)
        org = getattr(user, field) if field else None
        if org is None:
            return None
        return {"kind": field, "id": org.pk, "name": org.name}


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = MeSerializer()


class NotificationSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_link(self, note) -> str:
        return safe_link(note.link)

    def get_read(self, note) -> bool:
        return note.read_at is not None


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        allow_empty=True,
        max_length=1000,
        label=_("通知编号"),
        help_text=_("要标为已读的通知；不填则全部标为已读，空列表不作任何更改。"),
    )


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


# Shapes several apps' serializers share (one component each in the schema).


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"))
