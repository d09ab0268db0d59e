from django.contrib import admin

from matching.models import Engagement, Recommendation, SavedSearch


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["need", "team", "rank", "score", "model_version", "computed_at"]
    raw_id_fields = ["need", "team"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["need", "team", "origin", "status", "rating", "created_at"]
    list_filter = ["status", "origin"]
    raw_id_fields = ["need", "team", "created_by"]


admin.site.register(SavedSearch)
