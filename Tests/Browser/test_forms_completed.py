"""Every example form completed as a person would (typing, clicking labels, choosing from
lists), in English and in Spanish, with JavaScript on and off; each outcome checked, variable by
variable, where the CX simulator received it.

Spanish is asked for three ways: the browser's Accept-Language (JavaScript on), `?lang=es` on
the link (JavaScript off, address-update and callback-request) and the context's `lang`
(JavaScript off, consent-capture and satisfaction-survey). The JavaScript-off browser says
Accept-Language: en, so the link and the context are what make those pages Spanish."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import (assert_iso_timestamp, h1_text, make_driver, outcome_variables, remember_secret,
                      start_dialog, submit)


@pytest.fixture(scope="module")
def drivers():
    """One browser per kind, shared by the module: English with JavaScript, Spanish (by
    Accept-Language) with JavaScript, and English without JavaScript."""
    made = {}

    def get(language, javascript):
        key = (language, javascript)
        if key not in made:
            made[key] = make_driver(javascript=javascript, language=language)
        return made[key]

    yield get
    for driver in made.values():
        driver.quit()


class Visit:
    """One person's visit: the language wanted, whether scripts run, and how the language is
    asked for (`accept-language`, `query` or `context`)."""

    def __init__(self, language, javascript, mechanism):
        self.language, self.javascript, self.mechanism = language, javascript, mechanism
        self.es = language == "es"

    def __repr__(self):
        return f"{self.language}-{'js' if self.javascript else 'nojs'}-{self.mechanism}"

    def driver(self, drivers):
        return drivers("es" if self.mechanism == "accept-language" else "en", self.javascript)

    def context(self, form, **values):
        context = {"form": form, **values}
        if self.mechanism == "context":
            context["lang"] = self.language
        return context

    def link(self, link):
        return link + "?lang=es" if self.mechanism == "query" else link

    def text(self, english, spanish):
        return spanish if self.es else english


def retype(element, text):
    """Clears a field the way a person would (select all, delete) and types."""
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def click_label(driver, control_id):
    driver.find_element(By.CSS_SELECTOR, f"label[for='{control_id}']").click()


def type_date(element, iso):
    """Types a date into <input type=date> in the order its locale shows (month first in
    Chromium's headless en-US; day first as a fallback)."""
    year, month, day = iso.split("-")
    element.send_keys(month + day + year)
    if element.get_attribute("value") != iso:
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(day + month + year)
    assert element.get_attribute("value") == iso


# --- One person per form: fills it in and says which outcome the simulator must receive --------

def complete_address_update(driver, visit):
    assert h1_text(driver) == visit.text("Update your address", "Actualice su dirección")
    assert "Ana" in driver.find_element(By.CSS_SELECTOR, "p.intro").text
    street = driver.find_element(By.ID, "field-street")
    assert street.get_attribute("value") == "12 Harbour Road"  # prefilled from the context
    click_label(driver, "field-street")
    retype(street, remember_secret("7 Calle Mayor"))
    retype(driver.find_element(By.ID, "field-postalCode"), "28013")
    retype(driver.find_element(By.ID, "field-city"), "Madrid")
    country = Select(driver.find_element(By.ID, "field-country"))
    country.select_by_visible_text(visit.text("Spain", "España"))
    type_date(driver.find_element(By.ID, "field-movingDate"), "2025-03-15")
    driver.find_element(By.ID, "field-phone").send_keys("+34 600 000 000")
    driver.find_element(By.ID, "field-email").send_keys("ana@example.com")
    return {
        "newStreet": "7 Calle Mayor", "newPostalCode": "28013", "newCity": "Madrid", "newCountry": "ES",
        "movingDate": "2025-03-15", "phone": "+34 600 000 000", "email": "ana@example.com",
        "customerId": "C-1042", "formStatus": "completed", "submittedAt": None,
    }


ADDRESS_CONTEXT = {"firstName": "Ana", "street": "12 Harbour Road", "postalCode": "BS1 5TY",
                   "city": "Bristol", "country": "GB", "customerId": "C-1042"}


def complete_callback_request(driver, visit):
    """In English the person wants an email, in Spanish a phone call. With JavaScript the other
    method's fields disappear; without it every field shows with its hint, and the server drops
    what does not apply (the prefilled email of the Spanish visit is posted by the browser)."""
    assert h1_text(driver) == visit.text("Book a call back", "Reserve una llamada")
    digits = remember_secret("4821")
    driver.find_element(By.ID, "field-accountDigits").send_keys(digits)
    method = "phone" if visit.es else "email"
    click_label(driver, "field-contactMethod-0" if method == "phone" else "field-contactMethod-1")
    phone, best_time, email = (driver.find_element(By.ID, f"field-{name}") for name in ("phone", "bestTime", "email"))
    if visit.javascript:
        assert phone.is_displayed() == best_time.is_displayed() == (method == "phone")
        assert email.is_displayed() == (method == "email")
        assert not driver.find_element(By.ID, "field-phone-condition").is_displayed()
    else:
        assert phone.is_displayed() and best_time.is_displayed() and email.is_displayed()
        hint = driver.find_element(By.ID, "field-phone-condition")
        assert hint.is_displayed()
        assert visit.text("Phone call", "Llamada telefónica") in hint.text
        assert "field-phone-condition" in phone.get_attribute("aria-describedby")
    if method == "phone":
        phone.send_keys(remember_secret("+34 600 111 222"))
        Select(best_time).select_by_value("evening")
        return {"accountLast4": digits, "contactMethod": "phone", "phone": "+34 600 111 222",
                "bestTime": "evening", "callbackStatus": "requested", "callbackRequestedAt": None}
    retype(email, remember_secret("ana.garcia@example.com"))
    return {"accountLast4": digits, "contactMethod": "email", "email": "ana.garcia@example.com",
            "callbackStatus": "requested", "callbackRequestedAt": None}


CALLBACK_CONTEXT = {"firstName": "Ana", "email": "ana@example.com"}


def complete_consent_capture(driver, visit):
    assert h1_text(driver) == visit.text("Stay in touch", "Sigamos en contacto")
    name = driver.find_element(By.ID, "field-fullName")
    click_label(driver, "field-fullName")
    name.send_keys(remember_secret("Browser Person"))
    Select(driver.find_element(By.ID, "field-channel")).select_by_visible_text(
        visit.text("Text message", "Mensaje de texto"))
    click_label(driver, "field-consent")
    assert driver.find_element(By.ID, "field-consent").is_selected()
    return {"consentName": "Browser Person", "consentChannel": "sms", "consentGiven": "true",
            "consentStatus": "given", "consentRecordedAt": None}


def complete_satisfaction_survey(driver, visit):
    assert h1_text(driver) == visit.text("How did we do?", "¿Qué tal lo hicimos?")
    assert visit.text("You spoke with Sam.", "Habló con Sam.") in driver.find_element(By.CSS_SELECTOR, "p.intro").text
    click_label(driver, "field-rating-3")  # Satisfied
    click_label(driver, "field-topics-0")  # Billing
    click_label(driver, "field-topics-3")  # Other
    driver.find_element(By.ID, "field-recommend").send_keys("9")
    driver.find_element(By.ID, "field-comment").send_keys(remember_secret("Quick and kind.") + "\nThanks!")
    driver.find_element(By.ID, "field-website").send_keys("https://example.com/shop")
    # The call-back time stays empty: an empty optional field is sent as "".
    return {"csatScore": "4", "csatTopics": "billing,Other", "npsScore": "9",
            "csatComment": "Quick and kind.\nThanks!", "callbackTime": "",
            "customerWebsite": "https://example.com/shop", "surveyChannel": "sms",
            "formStatus": "completed", "surveyVersion": "3", "surveyAnsweredAt": None}


FORMS = {
    "address-update": (ADDRESS_CONTEXT, complete_address_update),
    "callback-request": (CALLBACK_CONTEXT, complete_callback_request),
    "consent-capture": ({}, complete_consent_capture),
    "satisfaction-survey": ({"agentName": "Sam"}, complete_satisfaction_survey),
}

# Spanish without JavaScript: by the link for two forms, by the context for the other two.
VISITS = {
    form: [Visit("en", True, "default"), Visit("es", True, "accept-language"), Visit("en", False, "default"),
           Visit("es", False, "query" if form in ("address-update", "callback-request") else "context")]
    for form in FORMS
}


@pytest.mark.parametrize("form, visit", [(form, visit) for form, visits in VISITS.items() for visit in visits],
                         ids=lambda value: value if isinstance(value, str) else repr(value))
def test_a_person_completes_the_form(drivers, app_url, form, visit):
    driver = visit.driver(drivers)
    base_context, complete = FORMS[form]
    link, session_id = start_dialog(driver, app_url, visit.context(form, **base_context))
    driver.get(visit.link(link))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == visit.language
    # form.js marks the page when it runs: proof that the JavaScript-off browser really has none.
    scripted = "js" in driver.find_element(By.TAG_NAME, "html").get_attribute("class").split()
    assert scripted == visit.javascript

    expected = complete(driver, visit)
    submit(driver)
    assert h1_text(driver) == visit.text("Thank you", "Gracias")

    received = outcome_variables(driver, app_url, session_id)
    # Exactly these variables, in the form's order; the submission time is a UTC timestamp.
    assert list(received) == list(expected)
    for name, value in expected.items():
        if value is None:
            assert_iso_timestamp(received[name])
        else:
            assert received[name] == value, name


def test_without_javascript_a_shown_conditional_field_is_required_and_a_hidden_one_is_not(drivers, app_url):
    """Phone call chosen, phone left empty: the server asks for the phone (its condition holds)
    but not for the email (required too, but its condition does not hold)."""
    driver = drivers("en", False)
    link, session_id = start_dialog(driver, app_url, {"form": "callback-request"})
    driver.get(link + "?lang=es")
    driver.find_element(By.ID, "field-accountDigits").send_keys(remember_secret("4821"))
    click_label(driver, "field-contactMethod-0")
    # Neither conditional field is `required` for the browser without the script.
    assert driver.find_element(By.ID, "field-phone").get_attribute("required") is None
    assert driver.find_element(By.ID, "field-email").get_attribute("required") is None
    submit(driver)

    summary = driver.find_element(By.ID, "error-summary")
    assert [link.get_attribute("hash") for link in summary.find_elements(By.TAG_NAME, "a")] == ["#field-phone"]
    assert driver.find_element(By.ID, "field-phone-error").text.endswith("Este campo es obligatorio.")
    assert driver.find_elements(By.ID, "field-email-error") == []

    driver.find_element(By.ID, "field-accountDigits").send_keys("4821")  # never shown again: retyped
    assert driver.find_element(By.ID, "field-contactMethod-0").is_selected()
    driver.find_element(By.ID, "field-phone").send_keys("+34 600 333 444")
    submit(driver)
    assert h1_text(driver) == "Gracias"
    received = outcome_variables(driver, app_url, session_id)
    assert sorted(received) == ["accountLast4", "bestTime", "callbackRequestedAt", "callbackStatus",
                                "contactMethod", "phone"]
    assert received["phone"] == "+34 600 333 444"
    assert received["bestTime"] == ""


def test_with_javascript_hidden_fields_are_disabled_and_shown_again_live(drivers, app_url):
    """Switching the method back and forth shows and hides the fields live; hidden controls are
    disabled (so the browser neither requires nor posts them) and required again once shown."""
    driver = drivers("en", True)
    link, _ = start_dialog(driver, app_url, {"form": "callback-request"})
    driver.get(link)
    phone, email = driver.find_element(By.ID, "field-phone"), driver.find_element(By.ID, "field-email")
    # Nothing chosen yet: both conditional groups hidden.
    assert not phone.is_displayed() and not email.is_displayed()
    click_label(driver, "field-contactMethod-0")
    assert phone.is_displayed() and phone.is_enabled() and phone.get_attribute("required") == "true"
    assert not email.is_displayed() and not email.is_enabled()
    click_label(driver, "field-contactMethod-1")
    assert email.is_displayed() and email.get_attribute("required") == "true"
    assert not phone.is_displayed() and not phone.is_enabled()
    assert not driver.find_element(By.ID, "field-bestTime").is_enabled()
