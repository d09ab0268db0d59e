from django.contrib import admin

from scoring.models import Assessment, AssessmentResult, Case, Objection, RuleItem, RuleSet, SpotCheck


class RuleItemInline(admin.TabularInline):
    model = RuleItem
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["year", "version", "frozen", "created_at"]
    inlines = [RuleItemInline]


admin.site.register([Assessment, AssessmentResult, SpotCheck, Objection, Case])
