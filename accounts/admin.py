from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import College, Enterprise, GovernmentAgency, University, User


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["name", "university", "category"]
    list_filter = ["university", "category"]
    search_fields = ["name"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "industry", "region", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["industry", "region"]
    actions = ["approve", "reject"]

    @admin.action(description=_("通过所选企业的注册"))
    def approve(self, request, queryset):
        for enterprise in queryset:
            services.enterprise_approve(enterprise=enterprise, by=request.user)
        n = queryset.count()
        self.message_user(
            request, ngettext("已通过 %d 家企业。", "已通过 %d 家企业。", n) % n, messages.SUCCESS
        )

    @admin.action(description=_("驳回所选企业的注册"))
    def reject(self, request, queryset):
        for enterprise in queryset:
            services.enterprise_reject(enterprise=enterprise, by=request.user)
        n = queryset.count()
        self.message_user(
            request, ngettext("已驳回 %d 家企业。", "已驳回 %d 家企业。", n) % n, messages.WARNING
        )


@admin.register(GovernmentAgency)
class GovernmentAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "real_name", "role", "organisation_name", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "real_name", "email", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("角色与组织"),
            {
                "fields": (
                    "real_name",
                    "phone",
                    "title",
                    "role",
                    "enterprise",
                    "college",
                    "university",
                    "agency",
                )
            },
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与组织"), {"fields": ("real_name", "role", "enterprise", "college", "university", "agency")}),
    )

    @admin.display(description=_("所属组织"))
    def organisation_name(self, obj):
        return str(obj.organisation or "—")
