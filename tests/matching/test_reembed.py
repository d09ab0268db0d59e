"""`reembed --prune`: after a run, the table holds this model's vectors of exactly the texts the platform
reads (open needs, portraits, their pseudo-queries, recruiting openings, students open to offers); the
vectors of texts that are gone are deleted, the others kept (real model, real database)."""

from io import StringIO

import pytest
from django.core.management import call_command

from demand.services import need_close
from matching import embedding_store, services
from matching.models import TextEmbedding
from talent import ranking as talent
from tests.matching.test_recommendations import _model_and_fresh_cache, publish  # noqa: F401 - fixture
from tests.talent.talent_world import *  # noqa: F403 - the fixtures team, captain, enterprise, students
from tests.talent.talent_world import make_opening

pytestmark = [pytest.mark.django_db]


def stored(version: str) -> set[str]:
    return set(TextEmbedding.objects.filter(model_version=version).values_list("text_hash", flat=True))


def test_prune_keeps_the_texts_in_use_and_deletes_the_rest(
    team, captain, students, django_capture_on_commit_callbacks
):
    make_opening(team, captain)
    kept_need = publish(
        django_capture_on_commit_callbacks,
        title="缝纫机主轴振动大",
        description="平缝机高速运转时主轴振动与噪声超标，求减振方案",
    )
    closed_need = publish(
        django_capture_on_commit_callbacks, title="原料药杂质", description="原料药中有未知杂质，需分析鉴定"
    )
    version = embedding_store.embedder().model_version
    closed_hashes = {embedding_store.need_text_hash(t) for t in services.need_texts([closed_need])}
    assert closed_hashes <= stored(version)
    with django_capture_on_commit_callbacks(execute=True):
        need_close(need=closed_need, by=closed_need.enterprise.users.first(), reason="已解决")
    # A prose need used to be embedded as a query: that vector is no longer read.
    (prose,) = services.need_texts([kept_need])
    old_kind = embedding_store.text_hash(embedding_store.QUERY, prose)
    embedding_store.embed_texts([prose], kind=embedding_store.QUERY)
    other_model = TextEmbedding.objects.create(
        model_name="old", model_version="old-model", text_hash="0" * 64, dim=1, vector=b"\0\0\0\0"
    )

    out = StringIO()
    call_command("reembed", "--prune", stdout=out)

    openings, student_texts = talent.embedding_texts()
    assert len(openings) == 1 and len(student_texts) == len(students)
    in_use = {
        embedding_store.need_text_hash(prose),
        *(embedding_store.text_hash(embedding_store.QUERY, t) for t in openings),
        *(embedding_store.text_hash(embedding_store.PASSAGE, t) for t in student_texts),
    }
    after = stored(version)
    assert in_use <= after
    assert not (closed_hashes | {old_kind}) & after
    assert not TextEmbedding.objects.filter(pk=other_model.pk).exists()
    assert "已删除旧模型向量 1 条" in out.getvalue()
    assert f"已删除不再使用的向量 {len(closed_hashes) + 1} 条" in out.getvalue()
    # Ranking again embeds nothing: every text it reads was kept.
    services.reset_index_cache()
    count = TextEmbedding.objects.count()
    services.recommendations_refresh_all()
    talent.students_for_opening(team.openings.get())
    assert TextEmbedding.objects.count() == count


def test_without_prune_nothing_is_deleted(team, django_capture_on_commit_callbacks):
    need = publish(django_capture_on_commit_callbacks)
    (text,) = services.need_texts([need])
    embedding_store.embed_texts([text], kind=embedding_store.QUERY)
    before = TextEmbedding.objects.count()
    call_command("reembed", stdout=StringIO())
    assert TextEmbedding.objects.count() >= before
