"""The console's JavaScript unit tests (tests/unit/run.js), run in headless Chromium.

The page imports the console's modules from web/ over HTTP (ES modules do not load from file:
URLs), so a static server on a free loopback port serves clients/console for the test."""
import functools
import http.server
import json
import pathlib
import threading

import pytest
from selenium.webdriver.support.ui import WebDriverWait

CONSOLE = pathlib.Path(__file__).resolve().parent.parent


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def static_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(CONSOLE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_javascript_unit_tests_pass_in_chromium(browser, static_server):
    driver = browser.driver
    driver.get(f"{static_server}/tests/unit/index.html")
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.body.dataset.done === 'true'"))
    results = json.loads(driver.find_element("id", "results").text)
    for result in results:
        print(("PASS " if result["passed"] else "FAIL ") + result["name"])
    failed = [result for result in results if not result["passed"]]
    assert len(results) >= 12, results
    assert failed == [], "\n".join(f"{r['name']}: {r['error']}" for r in failed)
    assert browser.console_errors() == []
