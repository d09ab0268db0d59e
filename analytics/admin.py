from django.contrib import admin

from analytics.models import (
    Assessment,
    AssessmentResult,
    Case,
    Objection,
    ReportExport,
    RuleItem,
    RuleSet,
    SpotCheck,
)


class RuleItemInline(admin.TabularInline):
    model = RuleItem
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["year", "version", "frozen", "created_at"]
    inlines = [RuleItemInline]


admin.site.register([Assessment, AssessmentResult, SpotCheck, Objection, Case])


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "period_from",
        "period_to",
        "region",
        "university",
        "status",
        "rows_count",
        "created_at",
    ]
    list_filter = ["kind", "status"]
