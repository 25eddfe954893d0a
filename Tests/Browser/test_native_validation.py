"""With JavaScript on, the browser's own checks (before anything is sent) use the server's
words in the page's language, not the browser's; the server stays the authority."""

import pytest
from selenium.webdriver.common.by import By

from conftest import make_driver, start_dialog


@pytest.fixture(scope="module")
def driver():
    # The browser speaks English: only the page's data-messages can make the bubbles German.
    driver = make_driver(language="en")
    yield driver
    driver.quit()


def message_after_check(driver, element_id):
    """What the browser would show for the field now (checkValidity fires 'invalid', where the
    script sets the message)."""
    return driver.execute_script(
        "const field = document.getElementById(arguments[0]); field.checkValidity(); return field.validationMessage;",
        element_id)


def test_bubbles_speak_the_page_language_and_clear_once_answered(driver, app_url):
    link, _ = start_dialog(driver, app_url, {"form": "consent-capture", "lang": "de"})
    driver.get(link)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    name = driver.find_element(By.ID, "field-fullName")
    name.clear()
    assert message_after_check(driver, "field-fullName") == "Dieses Feld ist erforderlich."
    name.send_keys("A")
    assert message_after_check(driver, "field-fullName") == "Verwenden Sie mindestens 2 Zeichen."
    name.send_keys("na")
    assert message_after_check(driver, "field-fullName") == ""
    assert driver.execute_script("return document.getElementById('field-fullName').validity.valid")


def test_a_radio_group_is_valid_again_after_any_choice(driver, app_url):
    link, _ = start_dialog(driver, app_url, {"form": "callback-request", "lang": "es"})
    driver.get(link)
    assert message_after_check(driver, "field-contactMethod-0") == "Este campo es obligatorio."
    # The person picks the other radio than the one that carried the message.
    driver.find_element(By.CSS_SELECTOR, "label[for='field-contactMethod-1']").click()
    assert driver.execute_script("return document.getElementById('field-contactMethod-0').validity.valid")
    email = driver.find_element(By.ID, "field-email")
    email.send_keys("not-an-email")
    assert message_after_check(driver, "field-email") == "Escriba un correo electrónico como nombre@ejemplo.com."
