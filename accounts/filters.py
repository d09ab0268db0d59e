"""The API's filters for the asker's own lists (core.api_filters): notifications, enterprises."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import Enterprise
from accounts.notifications import notifications_filtered
from accounts.permissions import enterprises_filtered
from core.api_filters import FlagFilter, SelectorFilterSet


class NotificationFilter(SelectorFilterSet):
    """`/notifications/`: read or unread."""

    unread = FlagFilter(label=_("true：只看未读；false：只看已读"))

    selector = staticmethod(notifications_filtered)


class EnterpriseFilter(SelectorFilterSet):
    """`/enterprises/`: by review status (a platform administrator's pending registrations)."""

    status = filters.ChoiceFilter(label=_("审核状态"), choices=Enterprise.Status.choices)

    selector = staticmethod(enterprises_filtered)
