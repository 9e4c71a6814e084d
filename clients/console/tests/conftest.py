"""Fixtures of the console's browser tests: headless Chromium (Debian's chromium and
chromium-driver, never a downloaded browser) driven by Selenium.

Environment:
  LONGHAUL_CONSOLE_URL     the console of a running local cloud (default http://127.0.0.1:3000/console/)
  LONGHAUL_SCREENSHOT_DIR  where screenshots go (default target/console-screenshots)
  CHROMIUM, CHROMEDRIVER   the browser and its driver (default /usr/bin/chromium, /usr/bin/chromedriver)
"""
import os
import pathlib
import shutil
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# Never let Selenium Manager look for (or fetch) a browser or driver.
os.environ.setdefault("SE_OFFLINE", "true")

DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(scope="session")
def console_url():
    return os.environ.get("LONGHAUL_CONSOLE_URL", "http://127.0.0.1:3000/console/")


@pytest.fixture(scope="session")
def screenshot_dir():
    directory = pathlib.Path(os.environ.get("LONGHAUL_SCREENSHOT_DIR", "target/console-screenshots"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


class Browser:
    """One headless Chromium with a fresh profile and its own download directory."""

    def __init__(self, screenshot_dir):
        self.profile = tempfile.mkdtemp(prefix="longhaul-chromium-")
        self.downloads = pathlib.Path(tempfile.mkdtemp(prefix="longhaul-downloads-"))
        self.screenshot_dir = screenshot_dir
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={self.profile}",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(self.downloads),
            "download.prompt_for_download": False,
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_window_size(*DESKTOP)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(self.downloads)})

    def screenshot(self, name):
        path = self.screenshot_dir / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def console_errors(self):
        """Errors the page logged: CSP or Trusted Types violations, uncaught exceptions. (Error
        answers of the API, such as the 404 of GET /v1/task-types, are the network's, not the page's.)"""
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"
                and entry.get("source") != "network"]

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
            shutil.rmtree(self.downloads, ignore_errors=True)


@pytest.fixture(scope="module")
def module_browser(screenshot_dir):
    """One Chromium per test module (starting one is the slow part); each test gets it fresh."""
    if not os.path.exists(CHROMIUM) or not os.path.exists(CHROMEDRIVER):
        pytest.fail(f"Chromium ({CHROMIUM}) and its driver ({CHROMEDRIVER}) are needed:"
                    " apt-get install -y chromium chromium-driver")
    instance = Browser(screenshot_dir)
    yield instance
    instance.close()


@pytest.fixture
def browser(module_browser):
    """The module's Chromium on a blank page: no session, desktop size, no downloads, no old logs."""
    driver = module_browser.driver
    driver.get("about:blank")
    driver.delete_all_cookies()
    driver.set_window_size(*DESKTOP)
    for leftover in module_browser.downloads.iterdir():
        leftover.unlink()
    driver.get_log("browser")
    yield module_browser
    # sessionStorage is per origin and tab: clear the console's before the next test signs in
    if driver.current_url.startswith("http"):
        driver.execute_script("window.sessionStorage.clear()")
