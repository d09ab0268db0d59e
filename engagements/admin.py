from django.contrib import admin

from engagements.models import Engagement


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["need", "team", "origin", "status", "rating", "created_at"]
    list_filter = ["status", "origin"]
    raw_id_fields = ["need", "team", "created_by"]
