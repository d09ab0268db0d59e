from django.contrib import admin

from core.models import TaskFailure


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
