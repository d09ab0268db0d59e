"""Helpers the notebooks share after their first cell has set up Django: which database they read and
a Chinese font for the charts.

The charts' labels are Chinese; matplotlib's default font has no CJK glyphs and would draw empty boxes.
The font must come from the machine (no downloads): Noto CJK (Debian's fonts-noto-cjk, which CI
installs) or another common CJK family. Without one the notebooks still run, with a warning.
"""

from __future__ import annotations

import warnings

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese with the first CJK family installed; its name, or None."""
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = next((name for name in CJK_FAMILIES if name in installed), None)
    if family is None:
        warnings.warn(
            "未找到中文字体（如 fonts-noto-cjk），图中的中文将显示为方框；计算结果不受影响。",
            stacklevel=2,
        )
        return None
    matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["font.family"] = "sans-serif"
    # The CJK fonts have no proper minus sign; use the ASCII hyphen so negative ticks are not boxes.
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def database_label() -> str:
    """Which database the notebook reads, without the password: engine, host and name."""
    from django.db import connection

    settings = connection.settings_dict
    where = settings.get("HOST") or "本机文件"
    return f"{connection.vendor} · {where} · {settings.get('NAME')}"
