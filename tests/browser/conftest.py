"""Browser-test harness: Playwright for Python driving Debian's Chromium against a live server.

Playwright's own browser download cannot work here, so the tests launch /usr/bin/chromium (or
$CHROMIUM_PATH). Where no Chromium is found every browser test is skipped with a message saying how to
get one, never silently. Screenshots go to test-artifacts/ (kept by CI as artifacts).
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach Google's hosts, which this closed network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_GET_CHROMIUM = (
    "浏览器测试已跳过：未找到 Chromium。Browser tests skipped: no Chromium found. "
    "Install Debian's build with `apt-get install chromium fonts-noto-cjk` "
    "or set CHROMIUM_PATH to a Chromium executable."
)


def chromium_path() -> str | None:
    candidate = (
        os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    return candidate if candidate and Path(candidate).exists() else None


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    skip = pytest.mark.skip(reason=HOW_TO_GET_CHROMIUM)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not chromium_path():
        terminalreporter.write_line(HOW_TO_GET_CHROMIUM, yellow=True)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # itself (fixtures, assertions) are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failed.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def pick(page, target: str, codes: list[str], *, add: bool = False) -> None:
    """Choose `codes` level by level in the cascade picker that fills the input `target` (reference/
    _cascade.html), waiting for each level's options; add: press its 添加 (a field of several codes)."""
    from playwright.sync_api import expect

    box = page.locator(f".cascade[data-target={target}]")
    selects = box.locator("select")
    for level, code in enumerate(codes):
        expect(selects.nth(level).locator(f"option[value='{code}']")).to_have_count(1)
        selects.nth(level).select_option(code)
    if add:
        box.get_by_role("button", name="添加").click()
