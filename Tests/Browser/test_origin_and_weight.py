"""Nothing leaves the page's origin, and the form pages stay small: the browser's own
performance entries (what it really fetched) are the evidence. The weights measured are written
to test-artifacts/page-weights.md."""

import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions

from conftest import ARTIFACTS, make_driver, start_dialog, submit, wait

BUDGET = 20 * 1024  # bytes of HTML + CSS + JS, uncompressed, per form page
FORMS = ["address-update", "callback-request", "consent-capture", "satisfaction-survey"]

ENTRIES = """
return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .map(function (entry) {
    return {name: entry.name, type: entry.entryType, initiator: entry.initiatorType || '',
            decoded: entry.decodedBodySize, transferred: entry.transferSize};
  });"""

# Everything the document itself points the browser at (a stylesheet, a script, an image, a
# form's action, a frame), resolved to absolute URLs: a request CSP blocked would not show up in
# the performance entries, but it would be here.
REFERENCES = """
var urls = [];
document.querySelectorAll('link[href], script[src], img[src], source[src], iframe[src], form[action]')
  .forEach(function (element) { urls.push(element.href || element.src || element.action); });
return urls;"""


@pytest.fixture(scope="module")
def driver():
    driver = make_driver()
    # Every page load fetches everything again, so each load has its own complete entries.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    yield driver
    driver.quit()


def origin(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def loaded_entries(driver):
    wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    return driver.execute_script(ENTRIES)


def assert_same_origin(driver, app_url):
    entries = loaded_entries(driver)
    assert entries and entries[0]["type"] == "navigation"
    for entry in entries:
        assert origin(entry["name"]) == app_url, f"{entry['name']} is not on {app_url}"
    for url in driver.execute_script(REFERENCES):
        # data: URLs are inline: no request at all.
        assert url.startswith("data:") or origin(url) == app_url, f"the page points at {url}"
    # The favicon is inline (data:), so the browser does not ask the network for one either.
    assert driver.find_element(By.CSS_SELECTOR, "link[rel='icon']").get_attribute("href").startswith("data:")
    # Nothing was refused by the Content-Security-Policy (an inline script or an outside request)
    # on this page or on the way to it.
    refused = [line["message"] for line in driver.get_log("browser") if "Content Security Policy" in line["message"]]
    assert refused == []


def form_page(form, query=""):
    def visit(driver, app_url):
        link, _ = start_dialog(driver, app_url, {"form": form, "firstName": "Ana"})
        driver.get(link + query)
    return visit


def error_page(driver, app_url):
    form_page("callback-request")(driver, app_url)
    driver.execute_script("document.querySelector('form.form').noValidate = true")
    submit(driver)
    wait(driver).until(conditions.presence_of_element_located((By.ID, "error-summary")))


def confirmation_page(driver, app_url):
    form_page("satisfaction-survey")(driver, app_url)
    driver.find_element(By.CSS_SELECTOR, "label[for='field-rating-4']").click()
    submit(driver)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Thank you"


PAGES = {
    **{f"form-{form}": form_page(form) for form in FORMS},
    "form-arabic": form_page("consent-capture", "?lang=ar"),
    "errors": error_page,
    "confirmation": confirmation_page,
    "link-incomplete": lambda driver, app_url: driver.get(app_url + "/f/address-update"),
    "console": lambda driver, app_url: driver.get(app_url + "/"),
}


@pytest.mark.parametrize("page", PAGES)
def test_no_request_leaves_the_origin(driver, app_url, page):
    driver.get_log("browser")  # forget what earlier tests' pages logged
    PAGES[page](driver, app_url)
    assert_same_origin(driver, app_url)


def test_form_pages_stay_within_the_weight_budget(driver, app_url):
    rows = {}
    for form in FORMS:
        form_page(form)(driver, app_url)
        entries = loaded_entries(driver)
        html = [entry for entry in entries if entry["type"] == "navigation"]
        css = [entry for entry in entries if entry["name"].split("?")[0].endswith(".css")]
        js = [entry for entry in entries if entry["name"].split("?")[0].endswith(".js")]
        # The page is exactly its document, one stylesheet and one script, all really fetched.
        assert (len(html), len(css), len(js)) == (1, 1, 1), entries
        assert len(entries) == 3, entries
        for entry in css + js:
            assert entry["transferred"] > 0, f"{entry['name']} came from a cache"
            with urllib.request.urlopen(entry["name"]) as response:
                assert len(response.read()) == entry["decoded"], entry["name"]
        rows[form] = (html[0]["decoded"], css[0]["decoded"], js[0]["decoded"])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lines = ["# Form page weights (uncompressed bytes, measured by Chromium)", "",
             f"Budget: {BUDGET} bytes of HTML + CSS + JS per form page.", "",
             "| form | HTML | CSS | JS | total |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {form} | {h} | {c} | {j} | {h + c + j} |" for form, (h, c, j) in rows.items()]
    (ARTIFACTS / "page-weights.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))

    for form, sizes in rows.items():
        assert all(size > 0 for size in sizes), (form, sizes)
        assert sum(sizes) <= BUDGET, f"{form}: {sum(sizes)} bytes is over the {BUDGET} budget"
