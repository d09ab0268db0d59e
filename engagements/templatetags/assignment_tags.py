"""The team page's assignment (指派) figures. A template tag, so the teams app never imports matching:
the team page's template asks, and matching answers."""

from django import template

from engagements.assignment_selectors import team_assignment_stats

register = template.Library()


@register.inclusion_tag("engagements/_team_assignments.html")
def team_assignment_card(team):
    return {"team": team, "stats": team_assignment_stats(team)}
