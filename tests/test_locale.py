"""Our zh-hans wording of Django's own form messages, and the compiled catalogue kept in step with it."""

import re
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import translation

from demand.forms import NeedForm
from demand.services import TITLE_MAX

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _po_entries(path: Path) -> list[tuple[str, str | None, str]]:
    """(msgid, msgid_plural or None, first msgstr) of every entry but the header."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if current.get("msgid"):
                entries.append((current["msgid"], current.get("msgid_plural"), current["msgstr"]))
            current, key = {}, None
            continue
        match = re.match(r'(msgid_plural|msgid|msgstr(?:\[0\])?)\s+"(.*)"$', line)
        if match:
            key = "msgstr" if match[1].startswith("msgstr") else match[1]
            current[key] = current.get(key, "") + match[2]
        else:  # a continuation line of the key before it
            current[key] += re.match(r'"(.*)"$', line)[1]
    return [tuple(s.replace('\\"', '"') if s else s for s in entry) for entry in entries]


def test_the_compiled_catalogue_says_what_the_po_file_says():
    entries = _po_entries(PO)
    assert len(entries) >= 6
    with translation.override("zh-hans"):
        for msgid, plural, msgstr in entries:
            said = translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)
            assert said == msgstr, f"django.mo is stale for {msgid!r}: run msgfmt -o django.mo django.po"


def test_a_too_long_title_is_refused_in_plain_words():
    with translation.override("zh-hans"):
        form = NeedForm(data={"title": "长" * (TITLE_MAX + 1), "description": "描述" * 10})
        assert not form.is_valid()
        assert form.errors["title"] == [f"最多 {TITLE_MAX} 个字符（现在 {TITLE_MAX + 1} 个）。"]


def test_length_digits_and_file_type_messages():
    with translation.override("zh-hans"):
        cases = [
            (forms.CharField(min_length=10), "短", "至少要 10 个字符（现在 1 个）。"),
            (forms.DecimalField(max_digits=4, decimal_places=2), "123.4", "整数部分最多 2 位。"),
            (forms.DecimalField(max_digits=4, decimal_places=2), "1.234", "小数最多 2 位。"),
            (forms.DecimalField(max_digits=3), "1234", "最多 3 位数字。"),
        ]
        for field, value, message in cases:
            try:
                field.clean(value)
            except ValidationError as exc:
                assert exc.messages == [message]
            else:
                raise AssertionError(f"{value!r} was accepted")
        validator = FileExtensionValidator(["pdf", "jpg"])
        upload = type("Upload", (), {"name": "报告.exe"})()
        try:
            validator(upload)
        except ValidationError as exc:
            assert exc.messages == ["不支持“exe”格式的文件，可上传的格式：pdf, jpg。"]
        else:
            raise AssertionError("an .exe was accepted")
