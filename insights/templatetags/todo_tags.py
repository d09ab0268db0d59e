"""The workspace's 待办 card. A template tag, so accounts (whose page it is) imports nothing above it."""

from django import template

from insights.todos import todos_for

register = template.Library()


@register.inclusion_tag("insights/_todos.html")
def todo_card(user):
    return {"todos": todos_for(user)}
