from django.contrib import admin

from teams.models import Call, Evidence, Member, Rectification, ServiceRecord, Team, TeamTransition


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["name", "role", "title", "deputy_focus", "student_level", "enterprise", "user"]
    raw_id_fields = ["user", "enterprise"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "college", "category", "theme", "status"]
    list_filter = ["status", "category", "theme", "work_mode"]
    search_fields = ["name"]
    inlines = [MemberInline]
    filter_horizontal = ["industries", "regions", "disciplines", "served_enterprises"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "record_type", "date", "amount_wan", "status"]
    list_filter = ["status", "record_type"]
    search_fields = ["title", "achievement_key", "team__name"]
    readonly_fields = ["normalised_key"]


admin.site.register([Call, Rectification, Evidence])


@admin.register(TeamTransition)
class TeamTransitionAdmin(admin.ModelAdmin):
    list_display = ["team", "action", "from_status", "to_status", "actor", "at"]
    readonly_fields = ["team", "action", "from_status", "to_status", "actor", "comment", "at"]
