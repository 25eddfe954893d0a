"""Fixtures for the browser suite: the real disposable-app binary in demo mode, and a real
headless Chromium driven by Selenium. Nothing is mocked: the browser talks HTTP to the app,
which talks HTTP to its in-process CX simulator."""

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("DISPOSABLE_APP_BINARY", ROOT / ".build" / "debug" / "disposable-app"))
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="session")
def app_url():
    """Starts the committed demo (simulator mode) on a free port in a scratch folder."""
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build it first (swift build)")
    workdir = Path(tempfile.mkdtemp(prefix="disposable-app-browser-"))
    for folder in ("config", "Public"):
        shutil.copytree(ROOT / folder, workdir / folder)
    log_path = workdir / "app.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [str(BINARY)], cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HTTP_PORT": "0"},
    )
    deadline = time.monotonic() + 60
    port = None
    while time.monotonic() < deadline and process.poll() is None:
        match = re.search(r"http\.url=http://[^ :]+:(\d+)", log_path.read_text())
        if match:
            port = int(match.group(1))
            break
        time.sleep(0.05)
    if port is None:
        process.kill()
        pytest.fail("the app did not start:\n" + log_path.read_text())
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    assert process.wait(timeout=30) == 0, "the app must exit 0 on SIGTERM"
    log.close()
    app_log = log_path.read_text()
    # Nothing a person typed may reach the log.
    for secret in ("Browser Person", "demo-secret"):
        assert secret not in app_log, f"{secret!r} leaked into the log"
    shutil.rmtree(workdir, ignore_errors=True)


def make_driver(javascript=True, width=390, height=844, language="en"):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", f"--lang={language}"):
        options.add_argument(argument)
    prefs = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser():
    driver = make_driver()
    yield driver
    driver.quit()


def save_screenshot(driver, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
