from django.contrib import admin

from demand.models import Need, NeedAttachment, NeedEvent


class EventInline(admin.TabularInline):
    model = NeedEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "changes", "comment", "at"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "enterprise", "industry", "region", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "description", "enterprise__name"]
    raw_id_fields = ["enterprise", "industry", "region", "created_by"]
    inlines = [EventInline]


admin.site.register(NeedAttachment)
