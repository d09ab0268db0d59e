"""EMBEDDING_PRECISION: checked at start-up and where the model is loaded, with a message that names
the allowed values; never a traceback deep inside torch."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from matching import checks, embedding_store


@pytest.mark.parametrize("value", ["auto", "int8", " BFloat16 ", "float32"])
def test_the_allowed_values_pass_the_check(settings, value):
    settings.EMBEDDING_PRECISION = value
    assert checks.embedding_precision(None) == []
    assert embedding_store.configured_precision() == value.strip().lower()


def test_an_unknown_precision_fails_the_start_up_check(settings):
    settings.EMBEDDING_PRECISION = "fp16"
    (error,) = checks.embedding_precision(None)
    assert error.id == "matching.E001"
    assert "fp16" in error.msg and "bfloat16" in error.msg


def test_an_unknown_precision_is_refused_before_the_model_loads(settings):
    settings.EMBEDDING_PRECISION = "fp16"
    with pytest.raises(ImproperlyConfigured, match="EMBEDDING_PRECISION"):
        embedding_store.load_embedder(settings.EMBEDDING_MODEL)


def test_evaluate_matching_reports_it_as_a_command_error(settings, tmp_path):
    # evaluate_matching skips the system checks (it needs no database), so it must say it itself.
    settings.EMBEDDING_PRECISION = "fp16"
    with pytest.raises(CommandError, match="EMBEDDING_PRECISION"):
        call_command("evaluate_matching", "--corpus", str(tmp_path))
