"""The web chat in a real headless browser (Debian's chromium driven by Playwright)."""
import shutil

import pytest
from aiohttp import web

from bot.app import create_app
from bot.settings import Settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
async def server(tmp_path, matcher):
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'web.sqlite3'}")
    runner = web.AppRunner(create_app(settings, matcher=matcher))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def page(server, tmp_path):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        page = await context.new_page()
        await page.goto(server)
        yield page
        await browser.close()


async def bot_messages(page):
    return await page.locator(".msg.bot").all_inner_texts()


async def test_question_card_and_aspect_button(page):
    await page.wait_for_selector(".msg.bot")  # the welcome
    await page.fill("#question", "lam giay khai sinh cho con can giay to gi")
    await page.press("#question", "Enter")
    card = page.locator(".msg.bot", has_text="Mã thủ tục: 1.001193")
    await card.wait_for()
    text = await card.inner_text()
    assert "1.001193" in text and "Giấy tờ cần có" in text
    await card.get_by_role("button", name="Các bước").click()  # aspects the card did not show
    answer = page.locator(".msg.bot", has_text="Các bước thực hiện").last
    await answer.wait_for()
    assert "đăng ký khai sinh" in (await answer.inner_text())
    await page.fill("#question", "còn lệ phí?")  # a follow-up about the same procedure
    await page.press("#question", "Enter")
    fee = page.locator(".msg.bot", has_text="miễn phí").last
    await fee.wait_for()


async def test_large_text_and_accessibility(page):
    await page.wait_for_selector(".msg.bot")
    assert await page.locator("#log").get_attribute("aria-live") == "polite"
    assert await page.locator("label[for=question]").count() == 1
    before = await page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    await page.click("#large-text")
    after = await page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before and await page.get_attribute("#large-text", "aria-pressed") == "true"


async def test_markup_in_questions_is_shown_as_text(page):
    await page.wait_for_selector(".msg.bot")
    alerts = []
    page.on("dialog", lambda dialog: alerts.append(dialog.message))
    await page.fill("#question", "<img src=x onerror=alert(1)><b>đậm</b>")
    await page.press("#question", "Enter")
    await page.locator(".msg.me", has_text="<img src=x").wait_for()
    await page.locator(".msg.bot").nth(1).wait_for()
    assert await page.locator("#log img, #log b").count() == 0 and alerts == []
