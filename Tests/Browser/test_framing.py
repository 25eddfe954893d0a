"""Agent desktops may embed the form: with `security.frameAncestors` naming the desktop's origin
the page renders (and works) inside its iframe; by default ('none'), or from any other origin,
Chromium refuses to render it framed. An origin is scheme, host and port: the embedding page
is served from another port of the same host, which is another origin."""

import html
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as conditions
from selenium.webdriver.support.ui import Select

from conftest import RunningApp, make_driver, start_dialog, submit, wait


class EmbeddingPage(BaseHTTPRequestHandler):
    """`/?src=URL`: a page with one iframe showing URL, as an agent desktop would have."""

    def do_GET(self):
        src = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("src", [""])[0]
        body = (f'<!doctype html><html lang="en"><title>Agent desktop</title><h1>Agent desktop</h1>'
                f'<iframe id="embedded" title="Customer form" width="400" height="600" '
                f'src="{html.escape(src)}"></iframe>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def desktop_port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), EmbeddingPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def embeddable_app_url(desktop_port):
    """A second app that lets the desktop (http://127.0.0.1:<desktop_port>) frame its pages."""
    app = RunningApp({"SECURITY_FRAME_ANCESTORS": f"http://127.0.0.1:{desktop_port}"})
    yield app.url
    app.stop()


@pytest.fixture(scope="module")
def driver():
    driver = make_driver(width=1280, height=800)
    yield driver
    driver.quit()


def open_framed(driver, desktop, link):
    """Opens the desktop page with the form's link in its iframe and waits until the frame has
    navigated away from about:blank (to the form, or to Chromium's error page)."""
    driver.switch_to.default_content()
    driver.get(f"{desktop}/?src={urllib.parse.quote(link, safe='')}")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Agent desktop"
    wait(driver).until(conditions.frame_to_be_available_and_switch_to_it((By.ID, "embedded")))
    wait(driver).until(lambda d: d.execute_script("return location.href") != "about:blank"
                       and d.execute_script("return document.readyState") == "complete")


def frame_ancestors(url):
    with urllib.request.urlopen(url) as response:
        policy = response.headers["Content-Security-Policy"]
    return [part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors")]


def test_the_form_renders_and_works_in_an_allowed_frame(driver, embeddable_app_url, desktop_port):
    assert frame_ancestors(embeddable_app_url + "/healthz") == [f"frame-ancestors http://127.0.0.1:{desktop_port}"]
    link, _ = start_dialog(driver, embeddable_app_url, {"form": "consent-capture", "fullName": "Ana García"})
    open_framed(driver, f"http://127.0.0.1:{desktop_port}", link)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Stay in touch"
    # The person can complete it inside the frame: the form's own POST is same-origin.
    driver.find_element(By.CSS_SELECTOR, "label[for='field-consent']").click()
    Select(driver.find_element(By.ID, "field-channel")).select_by_visible_text("Email")
    submit(driver)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Thank you"


def test_the_form_refuses_to_render_framed_by_default(driver, app_url, desktop_port):
    assert frame_ancestors(app_url + "/healthz") == ["frame-ancestors 'none'"]
    link, _ = start_dialog(driver, app_url, {"form": "consent-capture"})
    open_framed(driver, f"http://127.0.0.1:{desktop_port}", link)
    assert_refused(driver)


def test_the_form_refuses_to_render_framed_by_another_origin(driver, embeddable_app_url, desktop_port):
    """The same desktop page reached as localhost instead of 127.0.0.1 is another origin."""
    link, _ = start_dialog(driver, embeddable_app_url, {"form": "consent-capture"})
    open_framed(driver, f"http://localhost:{desktop_port}", link)
    assert_refused(driver)


def assert_refused(driver):
    # Chromium replaces the framed page with its own error page: none of the form is there.
    assert driver.execute_script("return location.href").startswith("chrome-error://")
    assert driver.find_elements(By.CSS_SELECTOR, "form.form") == []
    assert "Stay in touch" not in [h1.text for h1 in driver.find_elements(By.TAG_NAME, "h1")]
