"""dev.py's ECharts step: the integrity check, and that a present copy is never fetched again."""

import base64
import hashlib

import dev


def test_integrity_check_accepts_the_right_bytes_only():
    data = b"echarts"
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert dev.integrity_ok(data, integrity)
    assert not dev.integrity_ok(data + b" tampered", integrity)


def test_present_copy_is_kept_without_fetching(tmp_path, monkeypatch):
    (tmp_path / "echarts.min.js").write_text("/* echarts */")
    (tmp_path / "VERSION").write_text(dev.ECHARTS_VERSION + "\n")

    def no_network(*args, **kwargs):
        raise AssertionError("fetched although the copy is there")

    monkeypatch.setattr(dev.urllib.request, "urlopen", no_network)
    assert dev.ensure_echarts(tmp_path) == tmp_path
    assert (tmp_path / "echarts.min.js").read_text() == "/* echarts */"


def test_the_project_copy_is_the_pinned_version():
    """The pages load this file; dev.py (and so .ci/run and `python3 dev.py test`) puts it there."""
    target = dev.ensure_echarts()
    assert (target / "VERSION").read_text().strip() == dev.ECHARTS_VERSION
    assert (target / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (target / "LICENSE").read_text()
