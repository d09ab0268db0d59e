"""Forms for the team pages. They parse and report; the rules live in teams.services and teams.records.

Reference codes typed as text (GB/T 4754 industries, 6-digit region codes) are resolved here so the
user gets one clear Chinese message naming every code that is not in the reference tables.
"""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from accounts.scope import Kind, users_of_kind
from core.form_fields import FilterForm, ModelIdsField, YearField, picked
from core.uploads import UploadError, check_upload
from reference.choices import ServiceType
from reference.fields import split_list
from reference.models import Discipline, Industry
from reference.selectors import region_code_valid, region_get
from teams.models import (
    ACHIEVEMENT_TYPES,
    AMOUNT_ERRORS,
    AMOUNT_TYPES,
    MAX_AMOUNT_WAN,
    Call,
    CaptainChange,
    Member,
    MemberKind,
    MemberRole,
    QualifyingLevel,
    RecordType,
    ServiceRecord,
    Team,
    Theme,
    WorkMode,
)
from teams.selectors import open_calls_for  # noqa: F401 - the pages read it from here too

# Enterprise names may contain spaces, so only the punctuation and new lines separate them.
_NAME_SEPARATORS = re.compile(r"[,，、;；\n]+")

NAME_HELP = _("格式：队长姓名·行业（企业）名称科技小分队，如“赵小明·迈得医疗科技小分队”。")


def region_display_code(code: str) -> str:
    """Regions are stored as 2/4/6 digits (浙江省 33, 台州市 3310); people type the 6-digit form."""
    return code.ljust(6, "0")


class TeamCreateForm(forms.Form):
    name = forms.CharField(label=_("小分队名称"), max_length=100, help_text=NAME_HELP)
    work_mode = forms.ChoiceField(label=_("工作模式"), choices=WorkMode.choices)
    theme = forms.ChoiceField(label=_("主题"), choices=Theme.choices)
    call = forms.ModelChoiceField(
        label=_("申报批次"), queryset=Call.objects.none(), required=False, empty_label=_("请选择申报批次")
    )
    service_content = forms.CharField(
        label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    captain_title = forms.CharField(
        label=_("队长职称"),
        max_length=30,
        help_text=_("队长应具有副高级及以上职称，如：教授、副教授、高级工程师"),
    )
    qualifying_project = forms.CharField(label=_("队长主持的代表性项目"), max_length=200)
    qualifying_level = forms.ChoiceField(label=_("项目级别"), choices=QualifyingLevel.choices)
    qualifying_amount_yuan = forms.DecimalField(
        label=_("横向项目金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("横向项目需 100 万元以上"),
    )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        captain = {
            "title": data.pop("captain_title"),
            "qualifying_project": data.pop("qualifying_project"),
            "qualifying_level": data.pop("qualifying_level"),
            "qualifying_amount_yuan": data.pop("qualifying_amount_yuan"),
        }
        return {**data, "captain_fields": captain}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        calls = open_calls_for(user)
        self.fields["call"].queryset = calls
        if calls.exists():
            self.fields["call"].required = True
            if calls.count() == 1:
                self.fields["call"].initial = calls.first().pk
        else:
            self.fields["call"].help_text = _(
                "当前没有开放的申报批次，可先保存草稿，待科技处发布批次后再申报。"
            )
            self.fields["call"].empty_label = _("（暂无开放的申报批次）")


class TeamEditForm(forms.Form):
    """Appendix D's fields and the portrait. `name` is left out once the team is serving."""

    name = forms.CharField(label=_("小分队名称"), max_length=100, help_text=NAME_HELP)
    work_mode = forms.ChoiceField(label=_("工作模式"), choices=WorkMode.choices)
    theme = forms.ChoiceField(label=_("主题"), choices=Theme.choices)
    industries = picked(
        forms.CharField(
            label=_("服务行业"),
            required=False,
            help_text=_(
                "逐级选择后点“添加”；也可直接填写 GB/T 4754-2017 行业代码，多个用逗号分隔，如 3553, 3584"
            ),
        ),
        "industry",
        many=True,
    )
    regions = picked(
        forms.CharField(
            label=_("服务地区"),
            required=False,
            help_text=_(
                "逐级选择后点“添加”；也可直接填写行政区划代码（省 2 位、市 4 位、区县 6 位），多个用逗号分隔，如 331002, 3310"
            ),
        ),
        "region",
        many=True,
    )
    disciplines = ModelIdsField(
        label=_("学科"),
        queryset=Discipline.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选"),
    )
    served_enterprises = forms.CharField(
        label=_("对接企业"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("已在平台注册的企业全称，多个用逗号、顿号或换行分隔"),
    )
    service_types = forms.MultipleChoiceField(
        label=_("服务类型"),
        choices=ServiceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本队能提供的服务，可多选"),
    )
    service_content = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 4}))
    service_foundation = forms.CharField(
        label=_("现有服务基础和已开展服务项目"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description = forms.CharField(
        label=_("团队简介"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    keywords = forms.CharField(
        label=_("专长关键词"), required=False, help_text=_("用逗号或顿号分隔，如：减振降噪、伺服控制")
    )

    # Relations the service takes as objects, not as fields of the team.
    RELATIONS = ("industries", "regions", "disciplines", "served_enterprises")

    def __init__(self, *args, team: Team, name_editable: bool, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(team)
        super().__init__(*args, **kwargs)
        self.fields["disciplines"].queryset = Discipline.objects.filter(
            scheme=Discipline.Scheme.CSL
        ).order_by("code")
        if not name_editable:
            del self.fields["name"]

    @staticmethod
    def initial_for(team: Team) -> dict:
        return {
            "name": team.name,
            "work_mode": team.work_mode,
            "theme": team.theme,
            "industries": ", ".join(i.code for i in team.industries.order_by("code")),
            "regions": ", ".join(region_display_code(r.code) for r in team.regions.order_by("code")),
            "disciplines": list(team.disciplines.values_list("pk", flat=True)),
            "served_enterprises": "、".join(e.name for e in team.served_enterprises.order_by("name")),
            "service_types": list(team.service_types),
            "service_content": team.service_content,
            "service_foundation": team.service_foundation,
            "description": team.description,
            "keywords": "、".join(team.keywords),
        }

    def clean_industries(self):
        codes = [c.upper() for c in split_list(self.cleaned_data["industries"])]
        found = {i.code: i for i in Industry.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("未找到行业代码：%(codes)s。请填写 GB/T 4754-2017 国民经济行业分类代码，如 3553。")
                % {"codes": "、".join(unknown)}
            )
        return [found[c] for c in codes]

    def clean_regions(self):
        codes = split_list(self.cleaned_data["regions"])
        # The same rule as every other region field and the picker's lookup: a province, city or county.
        malformed = [c for c in codes if not region_code_valid(c)]
        if malformed:
            raise forms.ValidationError(
                _("地区代码应为 2、4 或 6 位数字（如 33、3310、331002）：%(codes)s。")
                % {"codes": "、".join(malformed)}
            )
        regions, unknown = [], []
        for code in codes:
            region = region_get(code)
            if region is None:
                unknown.append(code)
            elif region not in regions:
                regions.append(region)
        if unknown:
            raise forms.ValidationError(
                _(
                    "未找到行政区划代码：%(codes)s。请填写统计用区划代码，如 33（浙江省）、3310（台州市）、331002（台州市椒江区）。"
                )
                % {"codes": "、".join(unknown)}
            )
        return regions

    def clean_served_enterprises(self):
        names = split_list(self.cleaned_data["served_enterprises"], _NAME_SEPARATORS)
        found = {
            e.name: e for e in Enterprise.objects.filter(name__in=names, status=Enterprise.Status.APPROVED)
        }
        unknown = [n for n in names if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("以下企业未在平台注册或尚未通过审核：%(names)s。请填写企业全称。")
                % {"names": "、".join(unknown)}
            )
        return [found[n] for n in names]

    def clean_keywords(self):
        return split_list(self.cleaned_data["keywords"], re.compile(r"[,，、;；\n]+"))

    def service_arguments(self) -> dict:
        """The keyword arguments for teams.services.team_update."""
        return dict(self.cleaned_data)


class MemberAddForm(forms.Form):
    """One member. Role-specific fields carry `data-roles` so the page can show only what applies."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), choices=MemberRole.choices)
    kind = forms.ChoiceField(
        label=_("人员类别"),
        choices=[("", _("按角色（队长、副队长、核心成员为教师，动态成员为学生，企业成员为企业人员）"))]
        + list(MemberKind.choices),
        required=False,
    )
    background = forms.CharField(
        label=_("专业背景"),
        max_length=100,
        required=False,
        help_text=_("所学专业或从事的专业领域，如：机械工程；核心成员必填"),
    )
    title = forms.CharField(
        label=_("职称"), max_length=30, required=False, help_text=_("如：教授、副教授、讲师、高级工程师")
    )
    deputy_focus = forms.ChoiceField(
        label=_("副队长分工"),
        choices=[("", "—")] + list(Member.DeputyFocus.choices),
        required=False,
        widget=forms.Select(attrs={"data-roles": "deputy"}),
    )
    student_level = forms.ChoiceField(
        label=_("学生层次"),
        choices=[("", "—")] + list(Member.StudentLevel.choices),
        required=False,
        widget=forms.Select(attrs={"data-roles": "dynamic"}),
    )
    enterprise = forms.ModelChoiceField(
        label=_("所在企业"),
        queryset=Enterprise.objects.filter(status=Enterprise.Status.APPROVED).order_by("name"),
        required=False,
        empty_label="—",
        widget=forms.Select(attrs={"data-roles": "enterprise"}),
    )
    research_direction = forms.CharField(label=_("研究方向"), max_length=200, required=False)
    qualifying_project = forms.CharField(
        label=_("队长主持的代表性项目"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"data-roles": "captain"}),
    )
    qualifying_level = forms.ChoiceField(
        label=_("项目级别"),
        choices=[("", "—")] + list(QualifyingLevel.choices),
        required=False,
        widget=forms.Select(attrs={"data-roles": "captain"}),
    )
    qualifying_amount_yuan = forms.DecimalField(
        label=_("横向项目金额（元）"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"data-roles": "captain"}),
    )
    username = forms.CharField(
        label=_("平台登录名（可选）"),
        max_length=150,
        required=False,
        help_text=_("填写本校教师的平台登录名后，该成员可登录查看本队并填报服务记录。"),
    )

    CAPTAIN_FIELDS = ("qualifying_project", "qualifying_level", "qualifying_amount_yuan")

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        if team.members.filter(role=MemberRole.CAPTAIN).exists():
            # The captain is made with the draft and cannot be added twice.
            self.fields["role"].choices = [c for c in MemberRole.choices if c[0] != MemberRole.CAPTAIN]
            for name in self.CAPTAIN_FIELDS:
                del self.fields[name]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = (
            users_of_kind(Kind.MEMBER)
            .filter(username=username, college__university_id=self.team.college.university_id, is_active=True)
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("未找到本校教师账号“%(username)s”。") % {"username": username})
        if self.team.members.filter(user=user).exists():
            raise forms.ValidationError(_("该账号已是本队成员。"))
        return user

    def service_arguments(self) -> dict:
        """The keyword arguments for teams.services.member_add, without empty optional values."""
        data = dict(self.cleaned_data)
        data["user"] = data.pop("username")
        return {k: v for k, v in data.items() if v not in (None, "")}


class MemberEditForm(MemberAddForm):
    """Correct a member's details; the role and the linked account stay as they are."""

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, team=member.team, **kwargs)
        del self.fields["role"], self.fields["username"]
        if member.role == MemberRole.CAPTAIN:
            for name in self.CAPTAIN_FIELDS:
                self.fields.setdefault(name, MemberAddForm.base_fields[name])
        else:
            for name in self.CAPTAIN_FIELDS:
                self.fields.pop(name, None)
        if member.role != MemberRole.DEPUTY:
            self.fields.pop("deputy_focus")
        if member.role != MemberRole.DYNAMIC:
            self.fields.pop("student_level")
        if member.role != MemberRole.ENTERPRISE:
            self.fields.pop("enterprise")

    @staticmethod
    def initial_for(member: Member) -> dict:
        names = ["name", "kind", "background", "title", "deputy_focus", "student_level", "enterprise"]
        names += ["research_direction"]
        names += list(MemberAddForm.CAPTAIN_FIELDS)
        return {n: getattr(member, n) for n in names}

    def service_arguments(self) -> dict:
        """Cleared text fields are cleared (title, background); an empty kind keeps the stored one."""
        keep_empty = {"title", "background", "research_direction"}
        return {k: v for k, v in self.cleaned_data.items() if not (v in (None, "") and k not in keep_empty)}


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if required:
            # The service refuses an empty comment too; this only says it before the round trip.
            self.fields["comment"].widget.attrs["required"] = True
            self.fields["comment"].label = _("意见（必填）")


class RecordFilterForm(FilterForm):
    """The filters of a list of service records (a team's own list, the college's review queue): a year,
    a kind, a state and, where the list spans teams, a team. What does not parse is reported on its
    field and left out; the rest apply, as in the needs hall."""

    team = forms.TypedChoiceField(label=_("小分队"), required=False, coerce=int, empty_value=None)
    year = YearField(label=_("年度"), required=False, widget=forms.NumberInput(attrs={"placeholder": "2026"}))
    record_type = forms.ChoiceField(
        label=_("记录类型"), required=False, choices=[("", _("全部类型")), *RecordType.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *ServiceRecord.Status.choices]
    )

    def __init__(self, data=None, *, teams=None, with_status: bool = True):
        """teams: the teams the list spans (offered as a choice); None for one team's list."""
        super().__init__(data)
        if teams is None:
            del self.fields["team"]
        else:
            self.fields["team"].choices = [("", _("全部小分队")), *((t.pk, t.name) for t in teams)]
        if not with_status:
            del self.fields["status"]


class TeamListFilterForm(FilterForm):
    """The list of teams for those who oversee many (the S&T office, a college, the government): a
    keyword, a college where the list spans several, a state. As the API's TeamFilter, through
    selectors.teams_filtered."""

    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("名称、服务内容或简介")}),
    )
    college = forms.TypedChoiceField(label=_("所属学院"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *Team.Status.choices]
    )

    def __init__(self, data=None, *, colleges=None):
        """colleges: those the list spans, offered as a choice; None where it spans one."""
        super().__init__(data)
        if colleges is None:
            del self.fields["college"]
        else:
            self.fields["college"].choices = [("", _("全部学院")), *((c.pk, c.name) for c in colleges)]


class RectificationForm(forms.Form):
    reason = forms.CharField(label=_("整改原因"), widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(label=_("责任人"), max_length=50)
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))


class RectificationCloseForm(forms.Form):
    outcome = forms.CharField(label=_("整改结果"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    """An Appendix D application batch (xlsx), optionally under a call of the user's university."""

    file = forms.FileField(label=_("申报表（.xlsx，附录D格式）"))
    call = forms.ModelChoiceField(label=_("申报批次"), queryset=Call.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        university = user.home_university
        self.fields["call"].queryset = Call.objects.filter(university=university).order_by("-year", "-id")
        self.fields["call"].empty_label = _("（不属于某一批次）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            name, _type = check_upload(upload)
        except UploadError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        if not name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("请上传 .xlsx 格式的申报表（可先下载空白模板）。"), code="file_type"
            )
        return upload


class CallForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("批次名称"), max_length=100)
    requirements = forms.CharField(label=_("申报要求和条件"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateTimeField(
        label=_("截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


class RecordForm(forms.Form):
    record_type = forms.ChoiceField(label=_("类型"), choices=RecordType.choices)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("标题"), max_length=200)
    served_organisation = forms.CharField(label=_("服务对象"), max_length=100)
    participants = ModelIdsField(
        label=_("参与成员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("服务情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    amount_wan = forms.DecimalField(
        label=_("金额（万元）"),
        max_digits=12,
        decimal_places=2,
        max_value=MAX_AMOUNT_WAN,
        error_messages=AMOUNT_ERRORS,
        required=False,
        widget=forms.NumberInput(
            attrs={"step": "0.01", "data-types": " ".join(sorted(str(t) for t in AMOUNT_TYPES))}
        ),
        help_text=_("科技成果转化、横向科研项目填写合同金额"),
    )
    achievement_key = forms.CharField(
        label=_("成果标识"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"data-types": " ".join(sorted(str(t) for t in ACHIEVEMENT_TYPES))}),
        help_text=_(
            "论文 DOI 或题名、专利号、合同编号、实习协议编号等，用于防止同一成果重复计分；同一份实习协议只登记一条"
        ),
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = team.members.order_by("role", "id")

    @staticmethod
    def initial_for(record) -> dict:
        return {
            "record_type": record.record_type,
            "date": record.date,
            "title": record.title,
            "served_organisation": record.served_organisation,
            "participants": list(record.participants.values_list("pk", flat=True)),
            "description": record.description,
            "amount_wan": record.amount_wan,
            "achievement_key": record.achievement_key,
        }

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["participants"] = list(data["participants"])
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("上传新文件"),
        help_text=_("PDF、JPG/PNG 图片或 Office 文档，单个文件不超过 20 MB"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx"}
        ),
    )


class AssignmentHandlerForm(forms.Form):
    """Who answers the platform's assignments (指派); empty: the captain."""

    member = forms.ModelChoiceField(
        label=_("指派对接人"),
        queryset=None,
        required=False,
        empty_label=_("（未指定，由队长响应）"),
        error_messages={"invalid_choice": _("请选择本小分队有平台账号的教师成员。")},
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        from teams.services import HANDLER_ROLES

        self.fields["member"].queryset = team.members.filter(
            role__in=HANDLER_ROLES, user__isnull=False, user__is_active=True
        ).order_by("role", "id")
        self.fields["member"].initial = team.assignment_handler_id


class ClaimCodeForm(forms.Form):
    """The invitation code a person was given, to claim their place in a team."""

    code = forms.CharField(
        label=_("认领邀请码"), max_length=100, help_text=_("队长或学院发给您的邀请码或链接")
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().rstrip("/")
        # A whole link pasted in: its last part is the code.
        return code.rsplit("/", 1)[-1]


class MemberLinkForm(forms.Form):
    """A college's administrator links an account of the college to a member who has none."""

    user = forms.ModelChoiceField(
        label=_("平台账号"),
        queryset=None,
        empty_label=_("请选择本学院的教师或学生账号"),
        error_messages={"invalid_choice": _("请选择本学院在用的教师或学生账号。")},
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        from teams.claims import linkable_users

        self.fields["user"].queryset = linkable_users(team)
        self.fields["user"].label_from_instance = lambda u: f"{u.real_name or u.username}（{u.username}）"


class CaptainChangeForm(forms.Form):
    """变更队长: the successor (a deputy or core member), where the captain goes, and why."""

    new_captain = forms.ModelChoiceField(
        label=_("拟任队长"),
        queryset=None,
        empty_label=_("请选择本小分队的副队长或核心成员"),
        error_messages={"invalid_choice": _("拟任队长应为本小分队的副队长或核心成员。")},
    )
    outgoing = forms.ChoiceField(label=_("原队长去向"), choices=CaptainChange.Outgoing.choices)
    reason = forms.CharField(label=_("变更理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        from teams.captaincy import SUCCESSOR_ROLES, successor_problems

        candidates = (
            team.members.filter(role__in=SUCCESSOR_ROLES).select_related("user").order_by("role", "id")
        )
        self.fields["new_captain"].queryset = candidates
        # Who qualifies is shown before choosing, and why the others do not, all at once.
        problems = {m.pk: successor_problems(m) for m in candidates}
        self.fields["new_captain"].label_from_instance = lambda m: (
            f"{m.name}（{m.get_role_display()}，{m.title or '—'}）"
            + ("· 符合队长条件" if not problems.get(m.pk) else "· 暂不符合")
        )
        unfit = [f"{m.name}：{''.join(problems[m.pk])}" for m in candidates if problems.get(m.pk)]
        if unfit:
            self.fields["new_captain"].help_text = _("暂不符合的成员——") + "  ".join(unfit)


class CaptainChangeDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("1", _("批准")), ("0", _("不批准"))],
        coerce=lambda v: v in (True, "1", "true", "True"),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审核意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不批准时必填"),
    )  # fmt: skip
