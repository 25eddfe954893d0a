"""damage-photo, the upload example, completed as a person would with JavaScript on and off: a
photo straight off a phone (with its GPS position in Exif) picked with the file input, a
validation error elsewhere that keeps the photo, an axe audit of the page before and after, and
the link the agent gets, which serves the photo without any of its metadata."""

import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import (assert_accessible, block_scripts, make_driver, outcome_variables, remember_secret, start_dialog,
                      submit, wait)
from test_forms_completed import retype, type_date
from test_multi_step import submit_unchecked

PHOTO = Path(__file__).resolve().parent.parent / "Fixtures" / "files" / "photo-gps.jpg"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_person_sends_a_photo(app_url, javascript):
    driver = make_driver()
    try:
        if not javascript:
            block_scripts(driver)
        link, session_id = start_dialog(driver, app_url, {"form": "damage-photo", "firstName": "Ana"})
        driver.get(link)
        assert ("js" in driver.find_element(By.TAG_NAME, "html").get_attribute("class").split()) == javascript
        photo_input = driver.find_element(By.ID, "field-photo")
        assert photo_input.get_attribute("accept") == "image/jpeg,image/png"
        assert photo_input.get_attribute("capture") == "environment"
        assert_accessible(driver)

        photo_input.send_keys(str(PHOTO))
        if javascript:
            wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".files__preview img.files__thumbnail"))
        type_date(driver.find_element(By.ID, "field-damageDate"), "2026-11-28")
        # The description is missing: the page comes back with its error, and the photo is kept.
        submit_unchecked(driver, "submit")
        assert driver.find_element(By.ID, "error-summary").is_displayed()
        assert "Uploaded: JPEG photo" in driver.find_element(By.TAG_NAME, "main").text
        assert_accessible(driver)

        retype(driver.find_element(By.ID, "field-description"), remember_secret("Dent in the rear bumper"))
        submit(driver)
        assert driver.find_element(By.TAG_NAME, "h1").text == "Thank you"

        outcome = outcome_variables(driver, app_url, session_id)
        photo_link = outcome["photo"]
        assert photo_link.startswith(app_url + "/files/") and "&sig=" in photo_link
        assert outcome["description"] == "Dent in the rear bumper"
        with urllib.request.urlopen(photo_link) as response:
            assert response.headers["Content-Type"] == "image/jpeg"
            assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            cleaned = response.read()
        original = PHOTO.read_bytes()
        assert cleaned[:3] == b"\xff\xd8\xff"
        assert b"Exif" in original and b"Exif" not in cleaned
        assert len(cleaned) < len(original)
        # The console shows the variable as a link the agent can open.
        console_link = driver.find_element(By.XPATH, f"//a[@href='{photo_link}']")
        assert console_link.text == photo_link
    finally:
        driver.quit()


def jpeg_size(data):
    """(width, height) from a JPEG's frame header."""
    position = 2
    while position < len(data):
        marker, length = data[position + 1], int.from_bytes(data[position + 2:position + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            height = int.from_bytes(data[position + 5:position + 7], "big")
            width = int.from_bytes(data[position + 7:position + 9], "big")
            return width, height
        position += 2 + length
    raise AssertionError("no frame header")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_big_photo_is_scaled_on_the_phone(app_url, javascript):
    """With the script, a 3200x1800 photo reaches the server as 2560x1440; without it, as taken
    (the server never re-encodes)."""
    large = PHOTO.with_name("photo-large.jpg")
    driver = make_driver()
    try:
        if not javascript:
            block_scripts(driver)
        link, session_id = start_dialog(driver, app_url, {"form": "damage-photo", "firstName": "Ana"})
        driver.get(link)
        driver.find_element(By.ID, "field-photo").send_keys(str(large))
        retype(driver.find_element(By.ID, "field-description"), "Cracked windscreen")
        type_date(driver.find_element(By.ID, "field-damageDate"), "2026-11-28")
        submit(driver)
        assert driver.find_element(By.TAG_NAME, "h1").text == "Thank you"
        with urllib.request.urlopen(outcome_variables(driver, app_url, session_id)["photo"]) as response:
            served = response.read()
        assert jpeg_size(large.read_bytes()) == (3200, 1800)
        assert jpeg_size(served) == ((2560, 1440) if javascript else (3200, 1800))
    finally:
        driver.quit()
