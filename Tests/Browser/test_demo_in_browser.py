"""A person completes a form in a real headless Chromium: a real browser sends its own
headers (Sec-Fetch-Site, Origin under the page's referrer policy), which a test client would not."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_and_wait_for_next_page, save_screenshot, start_dialog


def test_a_person_completes_the_consent_form_and_the_outcome_arrives(browser, app_url):
    link, session_id = start_dialog(browser, app_url, {"form": "consent-capture", "fullName": "Browser Person"})
    browser.get(link)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Stay in touch"
    name = browser.find_element(By.ID, "field-fullName")
    assert name.get_attribute("value") == "Browser Person"
    Select(browser.find_element(By.ID, "field-channel")).select_by_value("email")
    browser.find_element(By.CSS_SELECTOR, "label[for='field-consent']").click()
    save_screenshot(browser, "consent-form-filled")
    # Waits for the next document itself: an element of the old one, read while it goes away, can
    # fail with "node does not belong to the document" (this test did, once in a fresh-clone run).
    click_and_wait_for_next_page(browser, browser.find_element(By.CSS_SELECTOR, "button[value='submit']"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thank you"
    save_screenshot(browser, "consent-confirmation")

    browser.get(app_url + "/")
    panel = browser.find_element(By.XPATH, f"//a[text()='Open the link for {session_id}']/ancestor::div[@class='panel']")
    cells = [cell.text for cell in panel.find_elements(By.TAG_NAME, "td")]
    assert cells[:8] == ["consentName", "Browser Person", "consentChannel", "email", "consentGiven", "true", "consentStatus", "given"]


def test_the_browser_validation_and_server_errors_agree(browser, app_url):
    link, _ = start_dialog(browser, app_url, {"form": "consent-capture"})
    browser.get(link)
    # With its own checks on, the browser stops the empty form before anything is sent.
    browser.find_element(By.CSS_SELECTOR, "button[value='submit']").click()
    assert not browser.find_elements(By.ID, "error-summary")
    in_browser = browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('form :invalid')]"
        ".filter(field => field.id).map(field => [field.id, field.validationMessage]))")
    assert in_browser, "the browser found nothing wrong with an empty form"

    # Without them, as an old browser would, the form reaches the server, which flags the same
    # fields with the same words.
    browser.execute_script("document.querySelector('form').noValidate = true")
    click_and_wait_for_next_page(browser, browser.find_element(By.CSS_SELECTOR, "button[value='submit']"))
    summary = browser.find_element(By.ID, "error-summary")
    assert "There is a problem" in summary.text
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    on_server = {field.get_attribute("id") for field in browser.find_elements(By.CSS_SELECTOR, "[aria-invalid='true']")}
    assert on_server == set(in_browser)
    for field_id, message in in_browser.items():
        assert message in browser.find_element(By.ID, f"{field_id}-error").text
    save_screenshot(browser, "consent-errors")


def test_declining_sends_the_decline_outcome(browser, app_url):
    link, session_id = start_dialog(browser, app_url, {"form": "consent-capture"})
    browser.get(link)
    click_and_wait_for_next_page(browser, browser.find_element(By.CSS_SELECTOR, "button[value='decline']"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "No problem"
    browser.get(app_url + "/")
    panel = browser.find_element(By.XPATH, f"//a[text()='Open the link for {session_id}']/ancestor::div[@class='panel']")
    assert "declined" in panel.text
