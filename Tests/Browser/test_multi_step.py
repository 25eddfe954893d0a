"""claim-report, the multi-step example, completed as a person would: step by step in English and
Spanish, with JavaScript on and off, refreshing a step and going back with the browser's own Back
button mid-form, changing an answer from the review; an axe audit of every step and the review;
and a draft that survives the browser being closed, continued in another one."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (assert_accessible, assert_iso_timestamp, block_scripts, click_and_wait_for_next_page, make_driver,
                      outcome_variables, remember_secret, start_dialog, submit, wait)
from test_forms_completed import click_label, retype, type_date

CONTEXT = {"form": "claim-report", "firstName": "Ana", "phone": "+34 600 123 456", "email": "ana@example.com"}


def progress(driver):
    return driver.find_element(By.CSS_SELECTOR, "p.progress").text


def submit_unchecked(driver, action):
    """Sends the form past the browser's own checks, so that the server's errors show."""
    driver.execute_script("document.querySelector('form.form').noValidate = true")
    submit(driver, action)


def text(es, english, spanish):
    return spanish if es else english


def open_claim(driver, app_url, javascript):
    if not javascript:
        block_scripts(driver)
    link, session_id = start_dialog(driver, app_url, CONTEXT)
    driver.get(link)
    scripted = "js" in driver.find_element(By.TAG_NAME, "html").get_attribute("class").split()
    assert scripted == javascript
    return link, session_id


def fill_incident(driver, description):
    Select(driver.find_element(By.ID, "field-claimType")).select_by_value("theft")
    type_date(driver.find_element(By.ID, "field-incidentDate"), "2026-11-20")
    retype(driver.find_element(By.ID, "field-description"), description)


def fill_details(driver, javascript, policy):
    retype(driver.find_element(By.ID, "field-location"), "12 Quay Street")
    reference = driver.find_element(By.ID, "field-policeReference")
    # With the script, the reference shows only once the person says they reported it.
    assert reference.is_displayed() == (not javascript)
    click_label(driver, "field-policeReport-0")
    assert reference.is_displayed()
    retype(reference, "PR-5521")
    retype(driver.find_element(By.ID, "field-policyNumber"), policy)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_person_completes_the_claim(app_url, language, javascript):
    es = language == "es"
    driver = make_driver(language=language)
    try:
        _, session_id = open_claim(driver, app_url, javascript)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        assert progress(driver) == text(es, "Step 1 of 3", "Paso 1 de 3")
        assert text(es, "Step 1 of 3", "Paso 1 de 3") in driver.title
        assert "Ana" in driver.find_element(By.CSS_SELECTOR, "p.intro").text
        assert_accessible(driver)
        description = remember_secret(f"Bike taken from the shed {language} {javascript}")
        fill_incident(driver, description)
        submit(driver, "next")

        assert progress(driver) == text(es, "Step 2 of 3", "Paso 2 de 3")
        driver.refresh()
        assert progress(driver) == text(es, "Step 2 of 3", "Paso 2 de 3"), "a refresh stays on the step"
        assert_accessible(driver)
        policy = remember_secret("QX4418207")
        fill_details(driver, javascript, policy)
        submit(driver, "next")

        # The browser's own Back button: the step comes back with its answers, but the policy
        # number (sensitive) is never written into a page, so it is asked again.
        assert progress(driver) == text(es, "Step 3 of 3", "Paso 3 de 3")
        driver.back()
        wait(driver).until(lambda d: progress(d) == text(es, "Step 2 of 3", "Paso 2 de 3"))
        assert driver.find_element(By.ID, "field-location").get_attribute("value") == "12 Quay Street"
        assert driver.find_element(By.ID, "field-policyNumber").get_attribute("value") == ""
        retype(driver.find_element(By.ID, "field-policyNumber"), policy)
        submit(driver, "next")

        assert_accessible(driver)
        click_label(driver, "field-contactBy-1")  # by email
        email = driver.find_element(By.ID, "field-email")
        assert email.get_attribute("value") == "ana@example.com"  # prefilled from the context
        assert driver.find_element(By.ID, "field-phone").is_displayed() == (not javascript)
        retype(email, remember_secret("ana.claims@example.com"))
        submit(driver, "next")

        assert driver.find_element(By.CSS_SELECTOR, "h2.step-title").text == text(es, "Check your answers", "Revise sus respuestas")
        answers = driver.find_element(By.TAG_NAME, "main").text
        assert description in answers
        assert text(es, "Theft", "Robo") in answers
        assert policy not in driver.page_source
        assert text(es, "Hidden for your security", "Oculto por su seguridad") in answers
        assert_accessible(driver)

        # Change an answer from the review: its step, then straight back to the review.
        click_and_wait_for_next_page(driver, driver.find_element(By.CSS_SELECTOR, "a[href*='step=incident']"))
        assert progress(driver) == text(es, "Step 1 of 3", "Paso 1 de 3")
        changed = remember_secret(description + " and the lock")
        retype(driver.find_element(By.ID, "field-description"), changed)
        submit(driver, "next")
        assert changed in driver.find_element(By.TAG_NAME, "main").text

        submit(driver, "submit")
        assert driver.find_element(By.TAG_NAME, "h1").text == text(es, "Thank you", "Gracias")
        outcome = outcome_variables(driver, app_url, session_id)
        assert_iso_timestamp(outcome.pop("submittedAt"))
        assert outcome == {
            "claimType": "theft", "incidentDate": "2026-11-20", "description": changed, "location": "12 Quay Street",
            "policeReport": "yes", "policeReference": "PR-5521", "policyNumber": policy, "contactBy": "email",
            "email": "ana.claims@example.com", "formStatus": "completed",
        }
    finally:
        driver.quit()


def test_errors_on_a_step_and_on_the_review_are_accessible(app_url):
    """Without the script (the server's errors, not the browser's): a step in error, then the
    review asking again for the policy number a second browser never had."""
    driver = make_driver()
    other = make_driver()
    try:
        link, _ = open_claim(driver, app_url, javascript=False)
        submit_unchecked(driver, "next")
        assert driver.find_element(By.ID, "error-summary").is_displayed()
        assert_accessible(driver)
        fill_incident(driver, "Bike taken")
        submit(driver, "next")
        fill_details(driver, False, "QX4418207")
        submit(driver, "next")

        # The browser closes; another one opens the same link and carries on where it was left.
        block_scripts(other)
        other.get(link)
        assert progress(other) == "Step 3 of 3"
        assert "Welcome back" in other.find_element(By.CSS_SELECTOR, "p.notice").text
        click_label(other, "field-contactBy-0")
        submit(other, "next")
        assert other.find_element(By.ID, "field-policyNumber").get_attribute("value") == ""
        assert "we do not keep this answer" in other.find_element(By.TAG_NAME, "main").text
        assert_accessible(other)
        submit_unchecked(other, "submit")
        assert other.find_element(By.ID, "error-summary").is_displayed()
        assert_accessible(other)
        retype(other.find_element(By.ID, "field-policyNumber"), "QX4418207")
        submit(other, "submit")
        assert other.find_element(By.TAG_NAME, "h1").text == "Thank you"
    finally:
        driver.quit()
        other.quit()


def test_autosave_keeps_a_half_typed_step(app_url):
    """With the script, leaving a field saves the step: a browser closed before Continue loses
    nothing but the field being typed."""
    driver = make_driver()
    other = make_driver()
    try:
        link, _ = open_claim(driver, app_url, javascript=True)
        fill_incident(driver, "Typed, never continued")
        driver.find_element(By.ID, "field-claimType").click()  # leaves the description: a change event
        other.get(link)
        wait(other).until(lambda d: d.refresh() or "Typed, never continued" in
                          d.find_element(By.ID, "field-description").get_attribute("value"))
        assert progress(other) == "Step 1 of 3"
    finally:
        driver.quit()
        other.quit()
