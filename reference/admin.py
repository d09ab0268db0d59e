"""Admin for the reference taxonomies: browse and search only.

Reference data comes from the fixtures through ``manage.py load_reference``; nobody types it in, so the
admin offers no add, change or delete. Searching by code or name also serves the autocomplete widgets of
other apps' admins (企业的所属行业、所在地区 …), which need only the view permission.
"""

from django.contrib import admin

from reference.models import Discipline, Industry, Region


class ReadOnlyReferenceAdmin(admin.ModelAdmin):
    """View-only: the rows are loaded from fixtures, not edited by hand."""

    list_per_page = 50
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    ordering = ["code"]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Industry)
class IndustryAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    fields = ["code", "name", "level", "parent", "description"]


@admin.register(Region)
class RegionAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "level", "parent", "longitude", "latitude"]
    list_filter = ["level"]
    fields = ["code", "name", "level", "parent", "longitude", "latitude"]


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyReferenceAdmin):
    list_display = ["code", "name", "name_en", "scheme", "level", "parent"]
    list_filter = ["scheme", "level"]
    search_fields = ["code", "name", "name_en"]
    ordering = ["scheme", "code"]
    fields = ["scheme", "code", "name", "name_en", "level", "parent"]
