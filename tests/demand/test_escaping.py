"""Hostile text stays text: script tags, event-handler attributes and SQL fragments in a need (and in
the ranker's explanation) are shown escaped on every page that shows them, and the tables survive."""

import pytest
from django.db import connection
from django.urls import reverse

from demand.models import Need
from demand.templatetags.highlight import excerpt, highlight
from engagements.models import Engagement
from matching.models import Recommendation
from matching.selectors import explanation_view
from tests.factories import StoAdminFactory, published_need
from tests.matching.test_views import make_world

pytestmark = pytest.mark.django_db

TITLE = "<script>alert(1)</script>"
DESCRIPTION = "<img src=x onerror=alert(1)> '; DROP TABLE demand_need; -- 注塑模具冷却不均匀的问题需要解决"
RAW = (
    "<script>alert(1)</script>",
    "<img src=x",
    "<b>bold",
    "<svg onload",
    "<a href='javascript",
    "onerror=alert(1)>",
)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
HOSTILE_EXPLANATION = {
    "total": 0.7,
    "contributions": {"dense": 0.5, "<b>bold</b>": 0.2},
    "matched_keywords": ["<svg onload=alert(1)>", "模具"],
    "reasons": ["<a href='javascript:alert(1)'>点我</a>", "行业相同"],
}


def assert_safe(html: str) -> None:
    for raw in RAW:
        assert raw not in html, raw


@pytest.fixture
def hostile():
    w = make_world(title=TITLE, description=DESCRIPTION)
    Recommendation.objects.filter(need=w.need, team=w.team).update(explanation=HOSTILE_EXPLANATION)
    return w


def test_the_hall_and_the_need_page_escape_hostile_text(client, hostile):
    for url in (reverse("demand:hall"), reverse("demand:detail", args=[hostile.need.pk])):
        for user in (None, hostile.owner):
            client.force_login(user) if user else client.logout()
            html = client.get(url).content.decode()
            assert_safe(html)
            assert ESCAPED[0] in html
            if url != reverse("demand:hall"):
                assert ESCAPED[1] in html


def test_searching_with_sql_fragments_or_markup_is_harmless(client, hostile):
    for q in ("'; DROP TABLE demand_need; --", "<script>", "' OR '1'='1", "%", "_", "\\"):
        response = client.get(reverse("demand:hall"), {"q": q})
        assert response.status_code == 200
        assert_safe(response.content.decode())
    found = client.get(reverse("demand:hall"), {"q": "DROP TABLE"}).context["page"]
    assert [n.pk for n in found] == [hostile.need.pk]
    assert list(client.get(reverse("demand:hall"), {"q": "%"}).context["page"]) == []  # % is not a wildcard
    html = client.get(reverse("demand:hall"), {"q": "<script>"}).content.decode()
    assert "<mark>&lt;script&gt;</mark>" in html
    assert "demand_need" in connection.introspection.table_names()
    assert Need.objects.filter(pk=hostile.need.pk).exists()


def test_recommendations_feed_and_engagement_escape_need_and_explanation(client, hostile):
    client.force_login(hostile.owner)
    html = client.get(reverse("engagements:need_recommendations", args=[hostile.need.pk])).content.decode()
    assert_safe(html)
    assert "&lt;a href=&#x27;javascript:alert(1)&#x27;&gt;点我&lt;/a&gt;" in html
    assert "&lt;svg onload=alert(1)&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    client.post(
        reverse("engagements:invite", args=[hostile.need.pk]), {"team": hostile.team.pk, "message": TITLE}
    )

    client.force_login(hostile.captain)
    for url in (
        reverse("engagements:feed"),
        reverse("engagements:engagements"),
        reverse("engagements:engagement", args=[Engagement.objects.get().pk]),
        reverse("notifications:list"),
    ):
        html = client.get(url).content.decode()
        assert_safe(html)
        assert ESCAPED[0] in html


def test_moderation_queue_and_my_needs_escape_hostile_text(client):
    w = make_world()
    Need.objects.filter(pk=w.need.pk).update(
        title=TITLE, description=DESCRIPTION, status=Need.Status.SUBMITTED
    )
    client.force_login(StoAdminFactory())
    html = client.get(reverse("demand:moderation")).content.decode()
    assert_safe(html)
    assert ESCAPED[0] in html
    client.force_login(w.owner)
    html = client.get(reverse("demand:mine")).content.decode()
    assert_safe(html)
    assert ESCAPED[0] in html


def test_the_hidden_name_and_credit_code_stay_out_of_the_matching_pages(client):
    w = make_world(show_enterprise=False)
    client.force_login(w.captain)
    for url in (reverse("engagements:feed"), reverse("demand:detail", args=[w.need.pk])):
        html = client.get(url).content.decode()
        assert w.owner.enterprise.name not in html and w.owner.enterprise.credit_code not in html


# ----------------------------------------------------------------------------------- the filter itself


def test_highlight_escapes_every_piece_before_marking():
    assert highlight("<b>平缝机</b>振动", ["平缝机"]) == "&lt;b&gt;<mark>平缝机</mark>&lt;/b&gt;振动"
    assert highlight("a<b>c", ["<b>"]) == "a<mark>&lt;b&gt;</mark>c"
    assert highlight("x & y", []) == "x &amp; y"
    assert highlight(None, ["x"]) == ""
    assert highlight("C++ 与 c++", ["c++"]) == "<mark>C++</mark> 与 <mark>c++</mark>"  # regex characters
    assert highlight("平缝机", "平缝 平缝机") == "<mark>平缝机</mark>"  # the longest keyword wins
    assert highlight("abc", 42) == "abc" and highlight("abc", [None, "", " "]) == "abc"


def test_excerpt_is_plain_text_around_the_first_keyword():
    text = "前" * 200 + "平缝机" + "后" * 200
    cut = excerpt(text, ["平缝机"])
    assert cut.startswith("…") and "平缝机" in cut and cut.endswith("…")
    assert excerpt("<b>短</b>", []) == "<b>短</b>"  # not marked safe: the template escapes it


@pytest.mark.parametrize(
    "explanation",
    [
        None,
        "garbage",
        [],
        {"contributions": "nope", "matched_keywords": "平缝机", "reasons": {"a": 1}},
        {"contributions": {"dense": "0.5", "region": None, "x": True, "y": [1]}},
        {"total": "high", "contributions": {}, "matched_keywords": [None, {"k": 1}], "reasons": [1, "ok"]},
    ],
)
def test_any_explanation_shape_renders(client, explanation):
    view = explanation_view(explanation)
    assert view.factors == [] and all(isinstance(r, str) for r in view.reasons)
    w = make_world()
    Recommendation.objects.update(explanation=explanation if explanation is not None else {})
    client.force_login(w.owner)
    assert client.get(reverse("engagements:need_recommendations", args=[w.need.pk])).status_code == 200
    client.force_login(w.captain)
    assert client.get(reverse("engagements:feed")).status_code == 200


def test_numbers_that_are_not_finite_are_dropped():
    view = explanation_view({"total": float("inf"), "contributions": {"dense": float("nan"), "region": 0.2}})
    assert view.total is None and [f.key for f in view.factors] == ["region"]


def test_unknown_factors_are_shown_after_the_known_ones_and_negative_bars_are_marked():
    view = explanation_view({"contributions": {"zeta": 0.1, "load": -0.3, "dense": 0.6, "industry": 0}})
    assert [f.key for f in view.factors] == ["dense", "industry", "load", "zeta"]
    assert [f.width for f in view.factors] == [100, 0, 50, 17]
    assert [f.negative for f in view.factors] == [False, False, True, False]
    assert view.factors[0].label == "语义相似" and view.factors[-1].label == "zeta"


def test_a_need_published_with_hostile_text_keeps_every_table(client):
    published_need(title=TITLE, description=DESCRIPTION)
    client.get(reverse("demand:hall"), {"q": "'; DROP TABLE demand_need; --"})
    tables = set(connection.introspection.table_names())
    assert {"demand_need", "matching_recommendation", "accounts_user"} <= tables
    assert Need.objects.count() == 1
