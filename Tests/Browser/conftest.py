"""Fixtures and helpers for the browser suite: the real disposable-app binary in demo mode, and a
real headless Chromium driven by Selenium. Nothing is mocked: the browser talks HTTP to the app,
which talks HTTP to its in-process CX simulator."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("DISPOSABLE_APP_BINARY", ROOT / ".build" / "debug" / "disposable-app"))
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"

# What people type in these tests that must never reach a log. Tests add the values they type
# with remember_secret(); every app's log is scanned for all of them when it stops.
SECRETS = ["Browser Person", "demo-secret"]


def remember_secret(value):
    """Marks a value a test typed (a sensitive field, a name) as one the logs must not contain."""
    if value not in SECRETS:
        SECRETS.append(value)
    return value


class RunningApp:
    """The binary started on a free port in a scratch copy of config/ and Public/."""

    def __init__(self, extra_env=None):
        if not BINARY.exists():
            pytest.fail(f"{BINARY} is missing: build it first (swift build)")
        self.workdir = Path(tempfile.mkdtemp(prefix="disposable-app-browser-"))
        for folder in ("config", "Public"):
            shutil.copytree(ROOT / folder, self.workdir / folder)
        self.log_path = self.workdir / "app.log"
        self.log = open(self.log_path, "w")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HTTP_PORT": "0",
            # Every test is one client (127.0.0.1), with far more page loads and submits a minute
            # than any person: the per-client limits (60 and 20 a minute) would answer 429.
            "LIMITS_PAGE_LOADS_PER_MINUTE": "0", "LIMITS_SUBMITS_PER_MINUTE": "0",
            **(extra_env or {}),
        }
        self.process = subprocess.Popen([str(BINARY)], cwd=self.workdir, stdout=self.log,
                                        stderr=subprocess.STDOUT, env=env)
        self.url = f"http://127.0.0.1:{wait_for_port(self.process, self.log_path, 'the app')}"

    def stop(self):
        """Stops the app (it must exit 0 on SIGTERM) and checks its log for anything typed."""
        self.process.terminate()
        assert self.process.wait(timeout=30) == 0, "the app must exit 0 on SIGTERM"
        self.log.close()
        app_log = self.log_path.read_text()
        for secret in SECRETS:
            # As a whole token: "4821" may well occur inside a request id or a timestamp.
            pattern = r"(?<![0-9A-Za-z])" + re.escape(secret) + r"(?![0-9A-Za-z])"
            assert not re.search(pattern, app_log), f"{secret!r} leaked into the log"
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def app_url():
    """The committed demo (simulator mode), shared by the whole session."""
    app = RunningApp()
    yield app.url
    app.stop()


def make_driver(javascript=True, width=390, height=844, language="en"):
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", f"--lang={language}"):
        options.add_argument(argument)
    prefs = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for driver.get_log("browser")
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


def wait(driver, timeout=10):
    return WebDriverWait(driver, timeout)


def start_dialog(driver, app_url, context):
    """Starts a dialog on the simulator console as a CX script would, with exactly `context`
    (typed into the form's textarea), and returns its link and sessionId."""
    form_id = context.get("form", "address-update")
    driver.get(app_url + "/")
    textarea = driver.find_element(By.ID, f"context-{form_id}")
    textarea.clear()
    textarea.send_keys(json.dumps(context, ensure_ascii=False))
    click_and_wait_for_next_page(driver, textarea.find_element(By.XPATH, "ancestor::form//button[@type='submit']"))
    # Dialogs are listed newest first, and earlier tests' dialogs are still there.
    link = wait(driver).until(conditions.presence_of_element_located(
        (By.XPATH, "(//a[starts-with(text(), 'Open the link for')])[1]")))
    return link.get_attribute("href"), link.text.removeprefix("Open the link for ")


def h1_text(driver):
    return driver.find_element(By.TAG_NAME, "h1").text


def wait_for_port(process, log_path, what):
    """The port from the "Serving" line a process of the binary logs (bounded wait); fails the test
    with the log when it exits or does not serve within a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        match = re.search(r"http\.url=http://[^ :]+:(\d+)", log_path.read_text())
        if match:
            return int(match.group(1))
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"{what} did not start:\n" + log_path.read_text())


def click_and_wait_for_next_page(driver, element):
    """Clicks something that loads a new page and waits until the new page has loaded.
    (Not staleness_of: while the old document goes away Chromium may answer a generic
    "node does not belong to the document" error instead of a stale element.)"""
    old_page = driver.find_element(By.TAG_NAME, "html").id
    element.click()
    WebDriverWait(driver, 10, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.find_element(By.TAG_NAME, "html").id != old_page
        and d.execute_script("return document.readyState") == "complete")


def submit(driver, action="submit"):
    """Clicks the form's submit (or decline) button and waits for the next page."""
    click_and_wait_for_next_page(driver, driver.find_element(By.CSS_SELECTOR, f"button[value='{action}']"))


def outcome_variables(driver, app_url, session_id):
    """The outcome variables the simulator received for a dialog, as {id: value}, read from the
    console (reloaded until the outcome has arrived)."""
    def read(d):
        d.get(app_url + "/")
        panel = d.find_element(
            By.XPATH, f"//a[text()='Open the link for {session_id}']/ancestor::div[@class='panel']")
        cells = [cell.get_attribute("textContent") for cell in panel.find_elements(By.TAG_NAME, "td")]
        return dict(zip(cells[0::2], cells[1::2])) if cells else False

    return wait(driver).until(read)


def assert_iso_timestamp(value):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", value), value


# --- Themes ----------------------------------------------------------------------------------

def emulate_color_scheme(driver, scheme):
    """Makes the page see prefers-color-scheme: light or dark (the CSS switches on it)."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
    assert driver.execute_script(f"return matchMedia('(prefers-color-scheme: {scheme})').matches")


# --- Accessibility audit -----------------------------------------------------------------------

# selenium-axe-python 2.2.0 ships axe-core 4.9.1, which has the WCAG 2.2 rules (tag wcag22aa).
# axe-selenium-python, the package the issue names, is stuck at 2.1.6 with axe-core 3.1.1, which
# predates WCAG 2.2 entirely, so it could not prove the bar the issue sets.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_results(driver):
    """Runs axe-core on the current page for WCAG 2.2 A/AA and returns its results."""
    from selenium_axe_python import Axe

    Axe(driver).inject()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    driver.set_script_timeout(30)
    results = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(done, function (e) { done({error: String(e)}); });",
        options)
    assert "error" not in results, results.get("error")
    return results


def assert_accessible(driver):
    """Zero violations, and nothing axe could not decide (an undecided colour contrast would
    be a contrast nobody checked) except the textarea case below, checked here instead."""
    from selenium_axe_python import Axe

    results = axe_results(driver)
    assert results["violations"] == [], f"{driver.current_url}\n" + Axe.report(results["violations"])
    undecided = [(rule["id"], node["target"]) for rule in results["incomplete"] for node in rule["nodes"]]
    # axe-core before 4.11 cannot find a <textarea>'s background ("partially obscured by another
    # element", dequelabs/axe-core#4947, fixed by #4968 after the 4.9.1 we have): its contrast is
    # computed here instead.
    textareas = [target for rule, target in undecided if rule == "color-contrast"
                 and driver.find_element(By.CSS_SELECTOR, target[0]).tag_name == "textarea"]
    for target in textareas:
        assert_contrast(driver, driver.find_element(By.CSS_SELECTOR, target[0]), 4.5)
    undecided = [item for item in undecided if item[1] not in textareas]
    assert undecided == [], f"{driver.current_url}: axe could not decide {undecided}"
    return results


def contrast_ratio(first, second):
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def assert_contrast(driver, element, minimum):
    """The element's text colour against its own (opaque) background."""
    colors = driver.execute_script(
        "var style = getComputedStyle(arguments[0]); return [style.color, style.backgroundColor];", element)
    rgb = [tuple(int(float(c)) for c in re.findall(r"[\d.]+", color)[:3]) for color in colors]
    alpha = re.findall(r"[\d.]+", colors[1])[3:]
    assert not alpha or float(alpha[0]) == 1, f"the background {colors[1]} is not opaque"
    ratio = contrast_ratio(*rgb)
    assert ratio >= minimum, f"{element.get_attribute('id')}: {colors} has contrast {ratio:.2f} < {minimum}"


def block_scripts(driver):
    """Makes the pages this driver loads run without their script (form.js is never fetched),
    as in a browser with JavaScript off, while WebDriver can still inject axe-core: in a browser
    with JavaScript really off, axe's asynchronous run never completes."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*.js"]})
