#!/usr/bin/env python3
"""The two quick-start commands, for a fresh machine with only Python 3.11 and pip.

    python3 dev.py serve   # set up, migrate, load reference + demo data, serve http://127.0.0.1:8000
    python3 dev.py test    # set up if needed, run the linter and the whole test suite

Both are idempotent: the environment is reinstalled only when pyproject.toml changes, the model is built
only once, and the demo data is built by get-or-create. Uses only the standard library.
"""

import base64
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".installed-pyproject.sha256"
MODEL_DIR = ROOT / "var" / "models" / "multilingual-e5-small"
# ECharts for the dashboard, from the npm package, pinned by version and integrity (npm view echarts@5.6.0
# dist.integrity). Only the built file and its licence are kept, in a git-ignored folder served as static.
ECHARTS_VERSION = "5.6.0"
ECHARTS_TARBALL = f"https://registry.npmjs.org/echarts/-/echarts-{ECHARTS_VERSION}.tgz"
ECHARTS_INTEGRITY = (
    "sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA=="
)
ECHARTS_DIR = ROOT / "static" / "vendor" / "echarts"
ECHARTS_FILES = {"package/dist/echarts.min.js": "echarts.min.js", "package/LICENSE": "LICENSE"}
# torch first and pinned: the CPU build; an unpinned torch pulls gigabytes of CUDA packages.
TORCH = "torch==2.13.0"


def run(*args, env=None):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_environment():
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"需要 Python 3.11（当前 {sys.version.split()[0]}）。Python 3.11 is required.")
    if not PY.exists():
        print("创建虚拟环境 .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        run(PY, "-m", "pip", "install", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", TORCH)
        run(PY, "-m", "pip", "install", "-e", ".[dev]")
        STAMP.write_text(digest)
    if not (MODEL_DIR / "modules.json").exists():
        run(PY, "-m", "matching.engine.model_build", MODEL_DIR)
    ensure_echarts()


def integrity_ok(data: bytes, integrity: str) -> bool:
    """npm's Subresource-Integrity string ("sha512-<base64>") against the downloaded bytes."""
    algorithm, expected = integrity.split("-", 1)
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == expected


def ensure_echarts(target: Path = ECHARTS_DIR) -> Path:
    """Fetch the pinned echarts tarball, check its sha512 integrity, keep dist/echarts.min.js and LICENSE.

    Skipped when the files are there (the version is written beside them, so a new pin fetches again).
    The browser never fetches anything: the pages load this copy through {% static %}.
    """
    stamp = target / "VERSION"
    if (
        stamp.exists()
        and stamp.read_text().strip() == ECHARTS_VERSION
        and (target / "echarts.min.js").exists()
    ):
        return target
    print(f"下载 echarts {ECHARTS_VERSION} …", flush=True)
    try:
        with urllib.request.urlopen(ECHARTS_TARBALL, timeout=120) as response:  # noqa: S310 - fixed https URL
            data = response.read()
    except OSError as exc:
        sys.exit(
            f"无法下载 echarts（{exc}）：仪表盘图表需要它，请检查网络后重试。Could not fetch {ECHARTS_TARBALL}."
        )
    if not integrity_ok(data, ECHARTS_INTEGRITY):
        sys.exit(
            "echarts 安装包校验失败（sha512 不符），已停止。The echarts tarball failed its integrity check."
        )
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, name in ECHARTS_FILES.items():
            (target / name).write_bytes(archive.extractfile(member).read())
    stamp.write_text(ECHARTS_VERSION + "\n")
    return target


def manage(*args, env=None):
    run(PY, "manage.py", *args, env=env)


def serve():
    ensure_environment()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    manage("migrate", "--noinput", env=env)
    manage("load_reference", env=env)
    manage("seed_demo", env=env)
    print("\n平台地址： http://127.0.0.1:8000/   （Ctrl+C 停止）\n", flush=True)
    # Tasks run inline here: load the model and fit the team index while the server starts.
    manage("runserver", "127.0.0.1:8000", env={**env, "MATCHING_WARM_START": "1"})


def test(pytest_args):
    ensure_environment()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    run(PY, "-m", "ruff", "check", ".", env=env)
    run(PY, "-m", "ruff", "format", "--check", ".", env=env)
    # The layering of ARCHITECTURE.md (contracts in pyproject.toml).
    run(VENV / "bin" / "lint-imports", env=env)
    manage("makemigrations", "--check", "--dry-run", env=env)
    run(PY, "-m", "pytest", *pytest_args, env=env)


def main(argv):
    if len(argv) < 2 or argv[1] not in {"serve", "test"}:
        sys.exit(__doc__)
    try:
        if argv[1] == "serve":
            serve()
        else:
            test(argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main(sys.argv)
