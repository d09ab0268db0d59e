"""The API's filters for the asker's own lists (accounts.api_filters): notifications."""

from django.utils.translation import gettext_lazy as _

from accounts.api_filters import FlagFilter, SelectorFilterSet
from accounts.notifications import notifications_filtered


class NotificationFilter(SelectorFilterSet):
    """`/notifications/`: read or unread."""

    unread = FlagFilter(label=_("true：只看未读；false：只看已读"))

    selector = staticmethod(notifications_filtered)
