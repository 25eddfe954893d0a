"""`disposable-app forms preview` in a real browser: every state of every form passes the axe
audit (WCAG 2.2 A/AA, see conftest.axe_results), and an open page reloads by itself when its
form file changes. The preview runs the real binary on a scratch copy of config/forms."""

import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import (BINARY, ROOT, assert_accessible, click_and_wait_for_next_page, emulate_color_scheme, make_driver,
                      wait_for_port)


class RunningPreview:
    """`disposable-app forms preview FOLDER --port 0` in a scratch folder holding a copy of
    config/forms and Public/ (no config/app.yaml, no database)."""

    def __init__(self):
        if not BINARY.exists():
            pytest.fail(f"{BINARY} is missing: build it first (swift build)")
        self.workdir = Path(tempfile.mkdtemp(prefix="disposable-app-preview-"))
        self.forms = self.workdir / "forms"
        shutil.copytree(ROOT / "config" / "forms", self.forms)
        shutil.copytree(ROOT / "Public", self.workdir / "Public")
        self.log_path = self.workdir / "preview.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([str(BINARY), "forms", "preview", str(self.forms), "--port", "0"], cwd=self.workdir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{wait_for_port(self.process, self.log_path, 'the preview')}"

    def stop(self):
        self.process.terminate()
        assert self.process.wait(timeout=30) == 0, "the preview must exit 0 on SIGTERM"
        self.log.close()
        assert not (self.workdir / "data").exists(), "the preview opened no database"
        shutil.rmtree(self.workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def preview():
    running = RunningPreview()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


def until_heading(driver, text):
    """Waits for a page whose h1 is `text`, across the reload (the old document may go mid-check)."""
    WebDriverWait(driver, 15, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.find_element(By.TAG_NAME, "h1").text == text)


def state_links(driver, preview, language):
    """Every state the index links to in one language, as paths."""
    driver.get(preview.url + "/")
    hrefs = [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, "table a")]
    paths = [urlparse(href).path for href in hrefs]
    return [path for path in paths if path.split("/")[3] == language]


def test_the_index_lists_every_form_and_state(driver, preview):
    paths = state_links(driver, preview, "en")
    forms = {path.split("/")[2] for path in paths}
    assert forms == {file.stem for file in (ROOT / "config" / "forms").glob("*.yaml")}
    states = {path.split("/")[4] for path in paths}
    assert {"empty", "prefilled", "errors", "verify", "verify-wrong", "review", "step-incident", "errors-contact"} <= states


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_preview_state_is_accessible(driver, preview, language, theme):
    emulate_color_scheme(driver, theme)
    driver.get(preview.url + "/")
    assert_accessible(driver)
    paths = state_links(driver, preview, language)
    assert paths
    for path in paths:
        driver.get(preview.url + path)
        assert driver.find_element(By.TAG_NAME, "h1").text
        assert_accessible(driver)


def test_the_outcome_page_is_accessible(driver, preview):
    driver.get(preview.url + "/preview/consent-capture/en/prefilled")
    click_and_wait_for_next_page(driver, driver.find_element(By.CSS_SELECTOR, "button[value='decline']"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "The Outcome “No thanks” would send"
    cells = [cell.text for cell in driver.find_elements(By.TAG_NAME, "td")]
    assert cells[:2] == ["consentStatus", "declined"]
    assert_accessible(driver)


def test_an_open_page_reloads_by_itself_when_its_file_changes(driver, preview):
    driver.get(preview.url + "/preview/address-update/en/prefilled")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Update your address"
    assert driver.find_element(By.ID, "field-street").get_attribute("value") == "12 Harbour Road"
    first_document = driver.find_element(By.TAG_NAME, "html").id
    file = preview.forms / "address-update.yaml"
    text = file.read_text()
    file.write_text(text.replace("title: Update your address", "title: Tell us your new address")
                        .replace("street: 12 Harbour Road", "street: 7 Quay Street"))
    try:
        # Nothing here loads the page again: the page's own script does, within a few seconds.
        until_heading(driver, "Tell us your new address")
        assert driver.find_element(By.TAG_NAME, "html").id != first_document
        assert driver.find_element(By.ID, "field-street").get_attribute("value") == "7 Quay Street"
    finally:
        file.write_text(text)
    until_heading(driver, "Update your address")
    assert not [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"], "no CSP or script errors"
