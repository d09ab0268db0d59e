"""The demand hall: Chinese search, each filter on hand-made needs, pagination, the hidden enterprise
name, and the JSON the cascading pickers read. Runs the same on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from demand.models import Need
from demand.selectors import HIDDEN_NAME
from tests.factories import EnterpriseUserFactory, published_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(reference_data):
    """Four public needs (three industries, three places, different kinds of help) and three that are
    not public."""
    owner = EnterpriseUserFactory()
    sewing = published_need(
        enterprise_user=owner,
        title="高速平缝机机头振动大",
        description="4000针每分钟以上时机头振动偏大，噪声超过80分贝，希望减振降噪。",
        industry="3553",
        region="331002",
        service_types=["diagnosis"],
    )
    pump = published_need(
        enterprise_user=owner,
        title="离心泵效率提升",
        description="离心泵效率比国外同类产品低三个百分点，希望优化叶轮水力设计，有PLC控制改造需求。",
        industry="3441",
        region="331081",
        service_types=["rd", "retrofit"],
    )
    tea = published_need(
        enterprise_user=owner,
        title="茶叶加工品质控制",
        description="春茶加工过程中杀青温度不稳定，成品茶色泽不一致，希望建立品质控制方法。",
        industry="0164",
        region="330106",
        service_types=["training", "standard"],
    )
    engaged = published_need(
        enterprise_user=owner,
        title="注塑模具冷却不均",
        description="注塑件翘曲变形，怀疑模具冷却水路设计不合理，希望仿真分析。",
        industry="3553",
        region="331004",
        service_types=["process"],
    )
    Need.objects.filter(pk=engaged.pk).update(status=Need.Status.ENGAGED)
    hidden = [
        published_need(enterprise_user=owner, title=f"不应出现的需求{status}")
        for status in ("draft", "sub", "closed")
    ]
    Need.objects.filter(pk=hidden[0].pk).update(status=Need.Status.DRAFT)
    Need.objects.filter(pk=hidden[1].pk).update(status=Need.Status.SUBMITTED)
    Need.objects.filter(pk=hidden[2].pk).update(status=Need.Status.CLOSED)
    return {"sewing": sewing, "pump": pump, "tea": tea, "engaged": engaged}


def titles(client, **params):
    response = client.get(reverse("demand:hall"), params)
    assert response.status_code == 200
    return {n.title for n in response.context["page"]}


def names(needs, *keys):
    return {needs[k].title for k in keys}


def test_only_published_engaged_and_resolved_needs_are_listed(client, needs):
    Need.objects.filter(pk=needs["tea"].pk).update(status=Need.Status.RESOLVED)
    assert titles(client) == names(needs, "sewing", "pump", "tea", "engaged")
    assert "不应出现" not in client.get(reverse("demand:hall")).content.decode()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("平缝机", {"sewing"}),
        ("平缝机 振动", {"sewing"}),  # every word must occur
        ("  振动   平缝机 ", {"sewing"}),
        ("平缝机 叶轮", set()),
        ("叶轮", {"pump"}),  # a word only in the description
        ("plc", {"pump"}),  # Latin letters ignore case
        ("希望", {"sewing", "pump", "tea", "engaged"}),
        ("不应出现", set()),
    ],
)
def test_search_in_chinese_matches_every_word_in_title_or_description(client, needs, q, expected):
    assert titles(client, q=q) == names(needs, *expected)


def test_search_words_are_highlighted_and_escaped(client, needs):
    html = client.get(reverse("demand:hall"), {"q": "平缝机"}).content.decode()
    assert "高速<mark>平缝机</mark>机头振动大" in html


@pytest.mark.parametrize(
    ("industry", "expected"),
    [
        ("C", {"sewing", "pump", "engaged"}),  # a 门类 letter reaches its 小类 through the tree
        ("c", {"sewing", "pump", "engaged"}),
        ("A", {"tea"}),
        ("35", {"sewing", "engaged"}),
        ("355", {"sewing", "engaged"}),
        ("3441", {"pump"}),
        ("344", {"pump"}),
        ("01", {"tea"}),
        ("B", set()),
    ],
)
def test_industry_filter_at_every_level(client, needs, industry, expected):
    assert titles(client, industry=industry) == names(needs, *expected)


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("33", {"sewing", "pump", "tea", "engaged"}),
        ("3310", {"sewing", "pump", "engaged"}),
        ("331000", {"sewing", "pump", "engaged"}),  # the padded form of 台州市
        ("331081", {"pump"}),
        ("3301", {"tea"}),
        ("11", set()),
    ],
)
def test_region_filter_by_code_prefix(client, needs, region, expected):
    assert titles(client, region=region) == names(needs, *expected)


@pytest.mark.parametrize(
    ("service_type", "expected"),
    [
        ("diagnosis", {"sewing"}),
        ("rd", {"pump"}),  # not "standard", whose text ends in …rd
        ("retrofit", {"pump"}),
        ("standard", {"tea"}),
        ("quality", set()),
    ],
)
def test_service_type_filter_matches_whole_values_in_the_json_list(client, needs, service_type, expected):
    assert titles(client, service_type=service_type) == names(needs, *expected)


def test_status_filter(client, needs):
    assert titles(client, status="engaged") == names(needs, "engaged")
    assert titles(client, status="published") == names(needs, "sewing", "pump", "tea")
    assert titles(client, status="draft") == names(needs, "sewing", "pump", "tea", "engaged")  # not a choice


def test_date_range_on_the_publication_date(client, needs):
    now = timezone.now()
    Need.objects.filter(pk=needs["tea"].pk).update(published_at=now - dt.timedelta(days=40))
    Need.objects.filter(pk=needs["pump"].pk).update(published_at=now - dt.timedelta(days=10))
    today = timezone.localdate()
    day = lambda n: (today - dt.timedelta(days=n)).isoformat()  # noqa: E731
    assert titles(client, date_from=day(15)) == names(needs, "sewing", "pump", "engaged")
    assert titles(client, date_to=day(30)) == names(needs, "tea")
    assert titles(client, date_from=day(45), date_to=day(5)) == names(needs, "tea", "pump")
    assert titles(client, date_from=day(1), date_to=day(1)) == set()


def test_filters_combine(client, needs):
    assert titles(client, q="希望", industry="C", region="3310", service_type="diagnosis") == names(
        needs, "sewing"
    )


def test_filters_that_do_not_parse_are_reported_and_the_rest_still_apply(client, needs):
    response = client.get(reverse("demand:hall"), {"industry": "X9", "region": "3310"})
    html = response.content.decode()
    assert response.status_code == 200 and "行业代码应为门类字母" in html
    assert {n.title for n in response.context["page"]} == names(needs, "sewing", "pump", "engaged")
    response = client.get(reverse("demand:hall"), {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_pagination_twenty_per_page_keeps_the_filters(client, reference_data):
    owner = EnterpriseUserFactory()
    for i in range(23):
        published_need(enterprise_user=owner, title=f"批量需求第{i:02d}号", service_types=["testing"])
    first = client.get(reverse("demand:hall"), {"service_type": "testing"})
    assert len(first.context["page"].object_list) == 20 and first.context["page"].paginator.count == 23
    assert "service_type=testing&amp;page=2" in first.content.decode()
    second = client.get(reverse("demand:hall"), {"service_type": "testing", "page": 2})
    assert len(second.context["page"].object_list) == 3
    assert client.get(reverse("demand:hall"), {"page": "x"}).status_code == 200


def test_a_hidden_enterprise_name_never_appears_in_the_hall_or_on_the_need(client, reference_data):
    owner = EnterpriseUserFactory(enterprise__name="台州市保密机械有限公司")
    need = published_need(enterprise_user=owner, show_enterprise=False, title="不公开名称的需求")
    shown = published_need(title="公开名称的需求")
    for url in (
        reverse("demand:hall"),
        reverse("demand:hall") + "?q=需求",
        reverse("demand:detail", args=[need.pk]),
    ):
        for viewer in (None, EnterpriseUserFactory(), None):
            if viewer:
                client.force_login(viewer)
            else:
                client.logout()
            html = client.get(url).content.decode()
            assert "保密机械" not in html and owner.enterprise.credit_code not in html
            assert HIDDEN_NAME in html
    html = client.get(reverse("demand:hall")).content.decode()
    assert shown.enterprise.name in html and shown.enterprise.credit_code not in html
