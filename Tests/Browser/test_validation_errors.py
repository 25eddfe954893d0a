"""Validation errors as a person meets them: the server's answer (the browser's own checks are
switched off with `noValidate`, as an old browser would not have them), focus on the error
summary, every error linked to its field, values kept, and a sensitive value never sent back."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions

from conftest import make_driver, remember_secret, start_dialog, submit, wait


@pytest.fixture(scope="module", params=[True, False], ids=["js", "nojs"])
def driver(request):
    driver = make_driver(javascript=request.param)
    driver.javascript = request.param
    yield driver
    driver.quit()


def submit_without_browser_checks(driver):
    driver.execute_script("document.querySelector('form.form').noValidate = true")
    submit(driver)
    return wait(driver).until(conditions.presence_of_element_located((By.ID, "error-summary")))


def assert_errors_linked(driver, expected_targets):
    """Focus is on the summary; each of its links points at an existing field (`#field-…`)
    that names the error next to it in its aria-describedby; the field is marked invalid."""
    summary = driver.find_element(By.ID, "error-summary")
    wait(driver).until(lambda d: d.execute_script("return document.activeElement.id") == "error-summary")
    assert summary.get_attribute("role") == "alert"
    targets = []
    for link in summary.find_elements(By.TAG_NAME, "a"):
        href = link.get_attribute("href")
        assert href.startswith(driver.current_url.split("#")[0] + "#"), href
        target = link.get_attribute("hash").removeprefix("#")
        targets.append(target)
        field = driver.find_element(By.ID, target)
        assert field.tag_name in ("input", "select", "textarea")
        name = field.get_attribute("name")
        error = driver.find_element(By.ID, f"field-{name}-error")
        assert error.is_displayed() and error.text
        assert error.get_attribute("id") in field.get_attribute("aria-describedby").split()
        assert field.get_attribute("aria-invalid") == "true"
        # The summary line repeats the message next to the field (without its hidden "Error:").
        prefix = error.find_element(By.CSS_SELECTOR, ".visually-hidden").get_attribute("textContent")
        assert prefix.strip() in ("Error:", "خطأ:")
        assert error.get_attribute("textContent").removeprefix(prefix).strip() in link.text
    assert targets == expected_targets
    return summary


EMPTY_FORMS = {
    # The fields each form requires, in the form's order (a group links to its first option).
    "address-update": ["field-street", "field-postalCode", "field-city", "field-country"],
    "callback-request": ["field-accountDigits", "field-contactMethod-0"],
    "consent-capture": ["field-fullName", "field-channel", "field-consent"],
    "satisfaction-survey": ["field-rating-0"],
}


@pytest.mark.parametrize("form", EMPTY_FORMS)
def test_an_empty_submit_lists_every_required_field_and_focuses_the_summary(driver, app_url, form):
    link, _ = start_dialog(driver, app_url, {"form": form})
    driver.get(link)
    summary = submit_without_browser_checks(driver)
    assert "There is a problem" in summary.text
    assert driver.title.startswith("Error:")
    assert_errors_linked(driver, EMPTY_FORMS[form])


def test_an_error_link_takes_the_person_to_the_field(driver, app_url):
    link, _ = start_dialog(driver, app_url, {"form": "consent-capture"})
    driver.get(link)
    summary = submit_without_browser_checks(driver)
    summary.find_element(By.CSS_SELECTOR, "a[href$='#field-channel']").click()
    wait(driver).until(lambda d: d.execute_script("return document.activeElement.id") == "field-channel")


def test_errors_in_spanish(driver, app_url):
    link, _ = start_dialog(driver, app_url, {"form": "address-update", "lang": "es", "street": "1 Calle"})
    driver.get(link)
    driver.find_element(By.ID, "field-postalCode").send_keys("2")
    driver.find_element(By.ID, "field-email").send_keys("ana-at-example")
    summary = submit_without_browser_checks(driver)
    assert "Hay un problema" in summary.text
    assert_errors_linked(driver, ["field-postalCode", "field-city", "field-country", "field-email"])
    assert "Use al menos 3 caracteres." in driver.find_element(By.ID, "field-postalCode-error").text
    assert "nombre@ejemplo.com" in driver.find_element(By.ID, "field-email-error").text
    # What was typed stays, for the person to correct.
    assert driver.find_element(By.ID, "field-street").get_attribute("value") == "1 Calle"
    assert driver.find_element(By.ID, "field-email").get_attribute("value") == "ana-at-example"


def test_a_sensitive_value_is_never_sent_back_after_an_error(driver, app_url):
    link, session_id = start_dialog(driver, app_url, {"form": "callback-request"})
    driver.get(link)
    digits = driver.find_element(By.ID, "field-accountDigits")
    assert digits.get_attribute("autocomplete") == "off"
    assert digits.get_attribute("inputmode") == "numeric"
    digits.send_keys(remember_secret("4821"))
    driver.find_element(By.CSS_SELECTOR, "label[for='field-contactMethod-1']").click()  # Email
    driver.find_element(By.ID, "field-email").send_keys("ana.garcia.example.com")
    submit_without_browser_checks(driver)
    assert_errors_linked(driver, ["field-email"])

    # The digits were valid, yet the page does not carry them: the person types them again,
    # and the field says why.
    digits = driver.find_element(By.ID, "field-accountDigits")
    assert digits.get_attribute("value") == ""
    assert not re.search(r"(?<![0-9A-Za-z])4821(?![0-9A-Za-z])", driver.page_source)
    again = driver.find_element(By.ID, "field-accountDigits-again")
    assert again.is_displayed() and "enter this again" in again.text
    assert "field-accountDigits-again" in digits.get_attribute("aria-describedby").split()
    # Everything else stays as typed or chosen.
    assert driver.find_element(By.ID, "field-contactMethod-1").is_selected()
    assert driver.find_element(By.ID, "field-email").get_attribute("value") == "ana.garcia.example.com"
    assert driver.find_element(By.ID, "field-email").is_displayed()
    assert not driver.find_element(By.ID, "field-phone").is_displayed() or not driver.javascript


def test_errors_in_arabic(driver, app_url):
    link, _ = start_dialog(driver, app_url, {"form": "consent-capture"})
    driver.get(link + "?lang=ar")
    summary = submit_without_browser_checks(driver)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert_errors_linked(driver, ["field-fullName", "field-channel", "field-consent"])
    lines = [item.text for item in summary.find_elements(By.TAG_NAME, "li")]
    # A label ending in a question mark (here the Arabic one) takes no colon after it.
    assert lines == ["الاسم الكامل: هذا الحقل مطلوب.", "كيف نتواصل معك؟ هذا الحقل مطلوب.",
                     "أوافق على تلقي العروض والأخبار. يمكنني سحب هذه الموافقة في أي وقت. هذا الحقل مطلوب."]
