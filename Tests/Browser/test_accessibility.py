"""An automated WCAG 2.2 A/AA audit (axe-core, see conftest.axe_results) of every page type a
person or an operator meets, in the light and the dark theme, and right to left in Arabic: zero
violations, and no colour contrast left undecided."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions

from conftest import (assert_accessible, axe_results, block_scripts, click_and_wait_for_next_page, emulate_color_scheme,
                      make_driver, start_dialog, submit, wait)

THEMES = {"light": "rgb(255, 255, 255)", "dark": "rgb(20, 23, 27)"}  # the page background of each


@pytest.fixture(scope="module")
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


def open_form(driver, app_url, form, query="", **context):
    link, _ = start_dialog(driver, app_url, {"form": form, "firstName": "Ana", **context})
    driver.get(link + query)


def show_errors(driver):
    driver.execute_script("document.querySelector('form.form').noValidate = true")
    submit(driver)
    wait(driver).until(conditions.presence_of_element_located((By.ID, "error-summary")))


def form_page(form):
    return lambda driver, app_url: open_form(driver, app_url, form)


def callback_request_with_phone_fields(driver, app_url):
    open_form(driver, app_url, "callback-request")
    driver.find_element(By.CSS_SELECTOR, "label[for='field-contactMethod-0']").click()
    assert driver.find_element(By.ID, "field-bestTime").is_displayed()


def error_state(driver, app_url):
    open_form(driver, app_url, "callback-request")
    driver.find_element(By.ID, "field-accountDigits").send_keys("12")
    show_errors(driver)


def confirmation(driver, app_url):
    open_form(driver, app_url, "address-update", street="1 Main St", postalCode="BS1 5TY", city="Bristol", country="GB")
    submit(driver)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Thank you"


def declined(driver, app_url):
    open_form(driver, app_url, "consent-capture")
    submit(driver, action="decline")
    assert driver.find_element(By.TAG_NAME, "h1").text == "No problem"


def status_page(path, heading):
    def visit(driver, app_url):
        driver.get(app_url + path)
        assert driver.find_element(By.TAG_NAME, "h1").text == heading
    return visit


def console(driver, app_url):
    start_dialog(driver, app_url, {"form": "consent-capture"})  # at least one dialog listed
    assert driver.find_element(By.TAG_NAME, "h1").text == "CX simulator console"


def arabic_form(driver, app_url):
    open_form(driver, app_url, "consent-capture", query="?lang=ar")
    html = driver.find_element(By.TAG_NAME, "html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")


def arabic_errors(driver, app_url):
    arabic_form(driver, app_url)
    show_errors(driver)


CONTACT = {"postalCode": "BS1 5TY", "dateOfBirth": "1984-06-02", "email": "ana@example.com"}


def verification(driver, app_url, query=""):
    open_form(driver, app_url, "contact-details", query=query, **CONTACT)
    assert driver.find_element(By.ID, "verify-postcode").get_attribute("autocomplete") == "postal-code"


def answer(driver, postcode, birth_date="1984-06-02"):
    driver.find_element(By.ID, "verify-postcode").send_keys(postcode)
    # A date input's typing order follows the browser's locale: set it as a date picker would.
    driver.execute_script("document.getElementById('verify-birthDate').value = arguments[0]", birth_date)
    click_and_wait_for_next_page(driver, driver.find_element(By.CSS_SELECTOR, "form.form button[type='submit']"))


def verification_no_match(driver, app_url):
    verification(driver, app_url)
    answer(driver, "XX1 1XX")
    summary = wait(driver).until(conditions.presence_of_element_located((By.ID, "error-summary")))
    assert "Attempts left: 2" in summary.text


def verification_empty(driver, app_url):
    verification(driver, app_url)
    driver.execute_script("document.querySelector('form.form').noValidate = true")
    driver.find_element(By.CSS_SELECTOR, "form.form button[type='submit']").click()
    wait(driver).until(conditions.presence_of_element_located((By.ID, "verify-postcode-error")))


def locked(driver, app_url):
    verification(driver, app_url)
    for _ in range(3):
        answer(driver, "XX1 1XX")
    assert driver.find_element(By.TAG_NAME, "h1").text == "We could not confirm it is you"


def verified(driver, app_url):
    verification(driver, app_url)
    answer(driver, "bs1 5ty")
    assert driver.find_element(By.ID, "field-email").get_attribute("value") == "ana@example.com"


PAGES = {
    "form-address-update": form_page("address-update"),
    "form-callback-request": callback_request_with_phone_fields,
    "form-consent-capture": form_page("consent-capture"),
    "form-satisfaction-survey": form_page("satisfaction-survey"),
    "errors": error_state,
    "confirmation": confirmation,
    "declined": declined,
    "link-incomplete": status_page("/f/address-update", "This link is incomplete"),
    "not-found": status_page("/f/nope?sessionId=abc", "Page not found"),
    "expired": status_page("/f/address-update?sessionId=no-such-dialog", "This link has expired"),
    "console": console,
    "arabic-form": arabic_form,
    "arabic-errors": arabic_errors,
    "verification": verification,
    "verification-no-match": verification_no_match,
    "verification-empty": verification_empty,
    "verification-arabic": lambda driver, app_url: verification(driver, app_url, query="?lang=ar"),
    "locked": locked,
    "verified": verified,
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("page", PAGES)
def test_no_accessibility_violations(driver, app_url, page, theme):
    emulate_color_scheme(driver, theme)
    PAGES[page](driver, app_url)
    assert driver.execute_script("return getComputedStyle(document.body).backgroundColor") == THEMES[theme]
    results = assert_accessible(driver)
    # The rules that matter most here did run (WCAG 2.2's target size among them).
    passed = {rule["id"] for rule in results["passes"]}
    assert {"color-contrast", "html-lang-valid", "document-title"} <= passed
    if page.startswith("form") or "errors" in page or page.startswith("verification"):
        assert {"label", "target-size", "autocomplete-valid"} <= passed


@pytest.mark.parametrize("theme", THEMES)
def test_no_accessibility_violations_without_javascript(app_url, theme):
    """Without the script every conditional field shows, with its hint."""
    driver = make_driver()
    try:
        block_scripts(driver)
        emulate_color_scheme(driver, theme)
        open_form(driver, app_url, "callback-request")
        assert "js" not in driver.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert driver.find_element(By.ID, "field-email-condition").is_displayed()
        assert_accessible(driver)
        show_errors(driver)
        assert_accessible(driver)
    finally:
        driver.quit()


@pytest.mark.parametrize("theme", THEMES)
def test_verification_without_javascript(app_url, theme):
    """The verification step, its errors and the lock need no script."""
    driver = make_driver()
    try:
        block_scripts(driver)
        emulate_color_scheme(driver, theme)
        verification(driver, app_url)
        assert_accessible(driver)
        answer(driver, "XX1 1XX")
        assert "Attempts left: 2" in driver.find_element(By.ID, "error-summary").text
        assert_accessible(driver)
        answer(driver, "XX1 1XX")
        answer(driver, "XX1 1XX")
        assert driver.find_element(By.TAG_NAME, "h1").text == "We could not confirm it is you"
        assert_accessible(driver)
    finally:
        driver.quit()


def test_the_audit_catches_what_it_must(driver, app_url):
    """The audit is not vacuous: an unlabelled field and grey-on-white text are reported."""
    emulate_color_scheme(driver, "light")
    open_form(driver, app_url, "consent-capture")
    driver.execute_script("""
        var form = document.querySelector('form.form');
        form.insertAdjacentHTML('beforeend', '<input type="text" name="x"><p id="faint">faint text</p>');
        document.getElementById('faint').style.color = '#bbbbbb';""")
    violations = {rule["id"] for rule in axe_results(driver)["violations"]}
    assert {"label", "color-contrast"} <= violations
