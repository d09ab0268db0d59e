from django.contrib import admin

from matching.models import RankerWeights, Recommendation, SavedSearch


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["need", "team", "rank", "score", "model_version", "computed_at"]
    raw_id_fields = ["need", "team"]


admin.site.register(SavedSearch)


@admin.register(RankerWeights)
class RankerWeightsAdmin(admin.ModelAdmin):
    """Read-only: weights come from `train_ranker`, never typed in."""

    list_display = ["created_at", "active", "outcomes", "auc_learned", "auc_current", "note"]
    readonly_fields = ["created_at", "weights", "outcomes", "auc_learned", "auc_current", "active", "note"]

    def has_add_permission(self, request):
        return False
