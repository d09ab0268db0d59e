from django.contrib import admin

from matching.models import Engagement, RankerWeights, Recommendation, SavedSearch, TaskFailure


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


@admin.register(RankerWeights)
class RankerWeightsAdmin(admin.ModelAdmin):
    """Read-only: weights come from `train_ranker`, never typed in."""

    list_display = ["created_at", "active", "outcomes", "auc_learned", "auc_current", "note"]
    readonly_fields = ["created_at", "weights", "outcomes", "auc_learned", "auc_current", "active", "note"]

    def has_add_permission(self, request):
        return False


@admin.register(TaskFailure)
class TaskFailureAdmin(admin.ModelAdmin):
    """Read-only: rows are written by the workers when a task gives up."""

    list_display = ["failed_at", "task_name", "reason", "attempts"]
    list_filter = ["task_name"]
    readonly_fields = [
        "task_name",
        "task_id",
        "args",
        "kwargs",
        "reason",
        "exception",
        "attempts",
        "failed_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
