"""The pages on a 320 px phone, a 390 px phone and a 1280 px desktop: full-page screenshots of
the form, its error state and the confirmation (test-artifacts/screenshots/), and at 320 px
nothing may stick out sideways (no horizontal scrolling, no element past either edge)."""

import base64

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import Select

from conftest import SCREENSHOTS, make_driver, remember_secret, start_dialog, submit, wait

SIZES = [(320, 640), (390, 844), (1280, 800)]

# Everything that ends past the screen's right edge or starts before its left one (right to
# left pages overflow to the left), ignoring what takes no room. The screen's width is passed in:
# a phone widens its layout viewport (window.innerWidth) to fit content that is too wide.
OVERFLOW_SCRIPT = """
var width = arguments[0], found = [];
if (window.innerWidth > width) found.push('the viewport grew to ' + window.innerWidth + ' px');
if (document.documentElement.scrollWidth > width) {
  found.push('the document is ' + document.documentElement.scrollWidth + ' px wide');
}
document.querySelectorAll('body *').forEach(function (element) {
  var box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return;
  if (box.right > width + 0.5 || box.left < -0.5) {
    found.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
      (element.className ? '.' + String(element.className).split(' ').join('.') : '') +
      ' spans ' + Math.round(box.left) + '..' + Math.round(box.right));
  }
});
return found;"""


@pytest.fixture(scope="module")
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


def resize(driver, width, height):
    """Emulates the device: its viewport, and (below desktop widths) a phone's meta-viewport
    handling, as Chromium's device mode does. (Headless Chromium's own window cannot be made
    narrower than 500 px.) A page with our meta viewport is then exactly `width` wide."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 1000})
    if driver.find_elements(By.CSS_SELECTOR, "meta[name='viewport']"):
        wait(driver).until(lambda d: d.execute_script("return window.innerWidth") == width)


def screenshot(driver, name):
    """The whole page, not only what fits in the viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 1000
    return path


def capture_every_size(driver, name):
    for width, height in SIZES:
        resize(driver, width, height)
        screenshot(driver, f"{name}-{width}x{height}")
        if width == 320:
            assert_fits_320(driver, name)
    resize(driver, *SIZES[0])


def click_label(driver, control_id):
    driver.find_element(By.CSS_SELECTOR, f"label[for='{control_id}']").click()


# How each form is made valid after its error state, for the confirmation.
def fix_address_update(driver):
    for field, value in (("street", "12 Harbour Road"), ("postalCode", "BS1 5TY"), ("city", "Bristol")):
        driver.find_element(By.ID, f"field-{field}").send_keys(value)
    Select(driver.find_element(By.ID, "field-country")).select_by_value("GB")


def fix_callback_request(driver):
    driver.find_element(By.ID, "field-accountDigits").send_keys("4821")
    click_label(driver, "field-contactMethod-0")
    driver.find_element(By.ID, "field-phone").send_keys("+44 117 496 0000")


def fix_consent_capture(driver):
    driver.find_element(By.ID, "field-fullName").send_keys(remember_secret("آنا غارسيا"))
    Select(driver.find_element(By.ID, "field-channel")).select_by_value("sms")
    click_label(driver, "field-consent")


def fix_satisfaction_survey(driver):
    click_label(driver, "field-rating-4")


CASES = {
    # name: (context, query, how to make it valid, screenshots?)
    "address-update": ({"form": "address-update", "firstName": "Ana"}, "", fix_address_update, True),
    "callback-request": ({"form": "callback-request", "firstName": "Ana"}, "", fix_callback_request, True),
    "consent-capture-ar": ({"form": "consent-capture", "firstName": "آنا"}, "?lang=ar", fix_consent_capture, True),
    "consent-capture": ({"form": "consent-capture"}, "", fix_consent_capture, False),
    "satisfaction-survey": ({"form": "satisfaction-survey", "agentName": "Sam"}, "", fix_satisfaction_survey, False),
}


@pytest.mark.parametrize("case", CASES)
def test_form_errors_and_confirmation_fit_every_screen(driver, app_url, case):
    context, query, make_valid, screenshots = CASES[case]
    resize(driver, *SIZES[0])
    link, _ = start_dialog(driver, app_url, context)
    driver.get(link + query)
    check = capture_every_size if screenshots else assert_fits_320
    check(driver, f"{case}-form")

    driver.execute_script("document.querySelector('form.form').noValidate = true")
    submit(driver)
    wait(driver).until(conditions.presence_of_element_located((By.ID, "error-summary")))
    check(driver, f"{case}-errors")

    make_valid(driver)
    submit(driver)
    assert driver.find_elements(By.ID, "error-summary") == [], "the form was not accepted"
    assert driver.find_element(By.CSS_SELECTOR, ".panel--success h1").is_displayed()
    check(driver, f"{case}-confirmation")


def assert_fits_320(driver, name):
    assert driver.execute_script(OVERFLOW_SCRIPT, 320) == [], f"{name} overflows at 320 px"


def test_the_overflow_check_sees_something_too_wide(driver, app_url):
    """The check is not vacuous: an unbreakable 400 px element is reported."""
    resize(driver, *SIZES[0])
    driver.get(app_url + "/f/nope?sessionId=abc")
    assert_fits_320(driver, "not-found")
    driver.execute_script("""
        var wide = document.createElement('div'); wide.id = 'too-wide';
        wide.style.width = '400px'; wide.style.height = '10px';
        document.querySelector('main').appendChild(wide);""")
    found = driver.execute_script(OVERFLOW_SCRIPT, 320)
    assert any("div#too-wide" in line for line in found), found
