"""The console against a running local cloud, in headless Chromium: sign in, create a task and
watch it reach 100 %, download its result, cancel a running task, see a failed task's error,
delete, filter and page the list, webhooks (the secret shown once), the create form generated
from GET /v1/task-types, the JSON-editor fallback for a deployment whose GET /v1/task-types
answers 404, keyboard-only use, and the phone width.

Every test signs in as an owner of its own. Screenshots go to LONGHAUL_SCREENSHOT_DIR."""
import json
import uuid

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import PHONE

WAIT = 90  # seconds; generous: the machine may be loaded, and a wait ends as soon as its condition holds


def wait(browser, timeout=WAIT):
    # live views re-render their parts: an element read between two renders is simply read again
    return WebDriverWait(browser.driver, timeout, ignored_exceptions=[StaleElementReferenceException])


def owner(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def sign_in(browser, console_url, name):
    driver = browser.driver
    driver.get(console_url)
    field = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[name=subject]")))
    field.send_keys(name, Keys.ENTER)
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "session"), f"Signed in as {name}"))
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h2.view-title"), "Tasks"))


def open_new_task(browser):
    browser.driver.find_element(By.LINK_TEXT, "New task").click()
    return wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "select[name=type]")))


def submit_and_open(browser, description):
    driver = browser.driver
    driver.find_element(By.CSS_SELECTOR, "input[name=description]").send_keys(description)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(lambda d: "#/tasks/" in d.current_url)
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h2.view-title"), description))
    return driver.current_url.split("#/tasks/")[1]


def create_with_form(browser, task_type, parameters, description):
    """Creates a task through the form generated from the type's parameter schema."""
    Select(open_new_task(browser)).select_by_value(task_type)
    form = browser.driver.find_element(By.CSS_SELECTOR, ".schema-form")
    for name, value in parameters.items():
        control = form.find_element(By.CSS_SELECTOR, f"[name='{name}']")
        if control.tag_name == "select":
            Select(control).select_by_value(str(value))
        else:
            control.clear()
            control.send_keys(str(value))
    return submit_and_open(browser, description)


# A deployment without GET /v1/task-types (an older API): the page's fetch of that one path answers
# 404, as such a deployment would; every other request goes to the local cloud.
NO_TASK_TYPES = """
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => String((input && input.url) || input).includes('/v1/task-types')
    ? Promise.resolve(new Response(JSON.stringify({type: 'about:blank', title: 'Not Found', status: 404,
        code: 'not-found', detail: 'No such route.'}), {status: 404, headers: {'Content-Type': 'application/problem+json'}}))
    : realFetch(input, init);
"""


def status_text(browser):
    return browser.driver.find_element(By.CSS_SELECTOR, ".facts .badge").text


def wait_for_status(browser, status):
    wait(browser).until(lambda d: status_text(browser) == status)


def assert_no_page_errors(browser):
    errors = browser.console_errors()
    assert errors == [], errors


def test_sign_in_create_watch_progress_and_download_the_result(browser, console_url):
    driver = browser.driver
    driver.get(console_url)
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "input[name=subject]")))
    browser.screenshot("01-sign-in")
    sign_in(browser, console_url, owner("ana"))
    # the token lives in sessionStorage only: not in localStorage, a cookie or the URL
    assert driver.execute_script("return window.localStorage.length") == 0
    assert driver.get_cookies() == []
    token = json.loads(driver.execute_script("return sessionStorage.getItem('longhaul.session')"))["token"]
    assert token.count(".") == 2 and token not in driver.current_url

    task_id = create_with_form(browser, "report.stock", {"rows": 20000, "format": "csv", "seed": 7},
                               "Stock report")
    seen = set()

    def progress_reached_100(d):
        bar = d.find_element(By.CSS_SELECTOR, ".facts progress")
        seen.add(int(float(bar.get_attribute("value"))))
        return bar.get_attribute("value") in ("100", "100.0") and status_text(browser) == "succeeded"

    wait(browser).until(progress_reached_100)
    assert driver.find_element(By.CSS_SELECTOR, ".facts .progress-text").text == "100 %"
    assert driver.find_element(By.ID, "announcer").get_attribute("aria-live") == "polite"
    rows = driver.find_elements(By.CSS_SELECTOR, "table tbody tr")
    assert any("succeeded" in row.text for row in rows), [row.text for row in rows]
    browser.screenshot("03-task-succeeded")

    driver.find_element(By.XPATH, "//button[normalize-space()='Download result']").click()
    wait(browser).until(lambda d: [p for p in browser.downloads.iterdir() if not p.name.endswith(".crdownload")])
    downloaded = [p for p in browser.downloads.iterdir() if not p.name.endswith(".crdownload")][0]
    assert downloaded.name == f"{task_id}.csv"
    lines = downloaded.read_text().splitlines()
    assert lines[0].startswith("product"), lines[0]
    assert len(lines) == 20001
    assert driver.current_url.endswith(f"#/tasks/{task_id}"), "the page stayed"
    assert "works until" in driver.find_element(By.CSS_SELECTOR, "main p.hint[aria-live]").text

    driver.find_element(By.LINK_TEXT, "Tasks").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"tr[data-task-id='{task_id}']")))
    browser.screenshot("02-task-list")
    assert_no_page_errors(browser)


def test_the_create_form_is_generated_from_the_type_schema(browser, console_url):
    driver = browser.driver
    sign_in(browser, console_url, owner("bo"))
    Select(open_new_task(browser)).select_by_value("report.stock")
    form = driver.find_element(By.CSS_SELECTOR, ".schema-form")
    rows = form.find_element(By.CSS_SELECTOR, "input[name=rows]")
    assert rows.get_attribute("type") == "number" and rows.get_attribute("min") == "1"
    assert [o.get_attribute("value") for o in Select(form.find_element(By.CSS_SELECTOR, "select[name=format]")).options
            if o.get_attribute("value")] == ["csv", "json"]
    browser.screenshot("04-new-task-form")
    # a value the schema refuses is caught before anything is sent, and tied to its field
    rows.clear()
    rows.send_keys("0")
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert rows.get_attribute("aria-invalid") == "true"
    assert driver.switch_to.active_element == rows
    assert "#/new" in driver.current_url
    assert_no_page_errors(browser)


def test_the_json_editor_is_the_fallback_where_task_types_answers_404(browser, console_url):
    driver = browser.driver
    script = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": NO_TASK_TYPES})
    try:
        sign_in(browser, console_url, owner("bo"))
        driver.find_element(By.LINK_TEXT, "New task").click()
        note = wait(browser).until(EC.visibility_of_element_located((By.ID, "fallback-note")))
        assert "GET /v1/task-types answered 404" in note.text
        browser.screenshot("04-new-task-json-editor")
        # bad JSON is caught before anything is sent, and tied to its field
        editor = driver.find_element(By.CSS_SELECTOR, "textarea[name=parameters]")
        driver.find_element(By.CSS_SELECTOR, "input[name=type]").send_keys("report.stock")
        editor.clear()
        editor.send_keys("{rows: 1")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        assert editor.get_attribute("aria-invalid") == "true"
        assert driver.switch_to.active_element == editor
        # the API's refusal (400, each bad field named) is shown
        editor.clear()
        editor.send_keys('{"rows": 0}')
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        alert = wait(browser).until(EC.visibility_of_element_located((By.ID, "alert")))
        assert "invalid" in alert.text.lower() or "parameters" in alert.text.lower(), alert.text
        assert "#/new" in driver.current_url
        # and a good one creates the task
        editor.clear()
        editor.send_keys('{"seconds": 0, "steps": 1}')
        type_field = driver.find_element(By.CSS_SELECTOR, "input[name=type]")
        type_field.clear()
        type_field.send_keys("demo.sleep")
        submit_and_open(browser, "From the JSON editor")
        assert_no_page_errors(browser)
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


def test_cancel_a_running_task_with_a_confirmation(browser, console_url):
    driver = browser.driver
    sign_in(browser, console_url, owner("cy"))
    create_with_form(browser, "demo.sleep", {"seconds": 60, "steps": 60}, "Long sleep")
    wait_for_status(browser, "running")
    wait(browser).until(lambda d: int(float(d.find_element(By.CSS_SELECTOR, ".facts progress").get_attribute("value"))) > 0)
    browser.screenshot("05-task-running")
    driver.find_element(By.XPATH, "//button[normalize-space()='Cancel task']").click()
    dialog = wait(browser).until(EC.visibility_of_element_located((By.ID, "confirm")))
    assert "Cancel the task Long sleep?" in dialog.text
    browser.screenshot("06-cancel-confirmation")
    # "Keep it" changes nothing
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Keep it']").click()
    assert status_text(browser) == "running"
    driver.find_element(By.XPATH, "//button[normalize-space()='Cancel task']").click()
    dialog = wait(browser).until(EC.visibility_of_element_located((By.ID, "confirm")))
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Cancel task']").click()
    wait_for_status(browser, "cancelled")
    assert not driver.find_element(By.XPATH, "//button[normalize-space()='Cancel task']").is_displayed()
    browser.screenshot("07-task-cancelled")
    assert_no_page_errors(browser)


def test_a_failed_task_shows_its_error_as_text_and_can_be_deleted(browser, console_url):
    driver = browser.driver
    sign_in(browser, console_url, owner("di"))
    hostile = "boom <img src=x id=injected onerror=alert(1)>"
    task_id = create_with_form(browser, "demo.fail", {"message": hostile}, "Doomed <b>task</b>")
    wait_for_status(browser, "failed")
    error = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".error-box")))
    assert "demo-failure" in error.text and hostile in error.text
    assert driver.find_elements(By.ID, "injected") == []
    assert driver.find_element(By.CSS_SELECTOR, "h2.view-title").text == "Doomed <b>task</b>"
    assert "failed" in driver.find_element(By.CSS_SELECTOR, "table tbody").text
    browser.screenshot("08-task-failed")

    driver.find_element(By.XPATH, "//button[normalize-space()='Delete task']").click()
    dialog = wait(browser).until(EC.visibility_of_element_located((By.ID, "confirm")))
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Delete task']").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h2.view-title"), "Tasks"))
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tbody tr") == []
                        or not d.find_elements(By.CSS_SELECTOR, f"tr[data-task-id='{task_id}']"))
    # the task is gone: its page now answers 404
    driver.get(f"{console_url}#/tasks/{task_id}")
    alert = wait(browser).until(EC.visibility_of_element_located((By.ID, "alert")))
    assert "task-not-found" in alert.text
    assert driver.find_elements(By.ID, "injected") == []


def test_filters_and_pages_pass_through_to_the_api(browser, console_url):
    driver = browser.driver
    sign_in(browser, console_url, owner("ed"))
    for n in range(3):
        create_with_form(browser, "demo.sleep", {"seconds": 0, "steps": 1}, f"Nap {n}")
        wait_for_status(browser, "succeeded")
    create_with_form(browser, "demo.fail", {}, "Failure")
    wait_for_status(browser, "failed")

    driver.get(f"{console_url}#/tasks?status=succeeded&pageSize=2")
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tbody tr")) == 2)
    assert "pageSize=2" in driver.find_element(By.CSS_SELECTOR, "main p.hint").text
    assert all("succeeded" in row.text for row in driver.find_elements(By.CSS_SELECTOR, "tbody tr"))
    next_page = driver.find_element(By.XPATH, "//button[normalize-space()='Next page']")
    wait(browser).until(lambda d: next_page.is_enabled())
    next_page.click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".pager"), "Page 2"))
    assert len(driver.find_elements(By.CSS_SELECTOR, "tbody tr")) == 1
    driver.find_element(By.XPATH, "//button[normalize-space()='Previous page']").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".pager"), "Page 1"))

    # the filter form: status failed
    select = driver.find_element(By.CSS_SELECTOR, "select[name=status]")
    select.send_keys("failed")
    driver.find_element(By.XPATH, "//button[normalize-space()='Apply filters']").click()
    wait(browser).until(lambda d: "status=failed" in d.current_url)
    wait(browser).until(lambda d: [r.text for r in d.find_elements(By.CSS_SELECTOR, "tbody tr")]
                        and all("failed" in r.text for r in d.find_elements(By.CSS_SELECTOR, "tbody tr")))
    assert len(driver.find_elements(By.CSS_SELECTOR, "tbody tr")) == 1
    assert_no_page_errors(browser)


def test_webhooks_show_the_secret_once(browser, console_url):
    driver = browser.driver
    sign_in(browser, console_url, owner("fa"))
    driver.find_element(By.LINK_TEXT, "Webhooks").click()
    url = wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[name=url]")))
    url.send_keys("http://127.0.0.1:9/longhaul-hook")
    driver.find_element(By.XPATH, "//button[normalize-space()='Add webhook']").click()
    secret = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, ".secret-value")))
    assert secret.text.startswith("whsec_")
    assert driver.switch_to.active_element == driver.find_element(By.CSS_SELECTOR, ".secret")
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "tbody"), "http://127.0.0.1:9/longhaul-hook"))
    browser.screenshot("09-webhook-secret")
    shown = secret.text

    driver.refresh()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "tbody"), "http://127.0.0.1:9/longhaul-hook"))
    assert shown not in driver.page_source, "the secret is shown once only"
    driver.find_element(By.XPATH, "//button[normalize-space()='Delete']").click()
    dialog = wait(browser).until(EC.visibility_of_element_located((By.ID, "confirm")))
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Delete webhook']").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "tbody"), "No webhooks yet."))
    assert_no_page_errors(browser)


def tab_to(browser, predicate, limit=40):
    """Presses Tab until the focused element satisfies `predicate` (as a keyboard user would)."""
    driver = browser.driver
    for _ in range(limit):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        if predicate(driver.switch_to.active_element):
            return driver.switch_to.active_element
    raise AssertionError("never reached by Tab")


def test_the_main_flow_works_with_the_keyboard_only(browser, console_url):
    driver = browser.driver
    name = owner("gu")
    driver.get(console_url)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "input[name=subject]")))
    # the view's heading has the focus; before it, the skip link, which jumps to the content
    wait(browser).until(lambda d: d.switch_to.active_element.get_attribute("class") == "view-title")
    driver.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    assert driver.switch_to.active_element.get_attribute("textContent") == "Skip to content"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert driver.switch_to.active_element.get_attribute("id") == "main"
    tab_to(browser, lambda e: e.get_attribute("name") == "subject").send_keys(name, Keys.ENTER)
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "session"), name))
    # focus moves to the new view's heading, so a screen reader announces it
    wait(browser).until(lambda d: d.switch_to.active_element.get_attribute("class") == "view-title")

    tab_to(browser, lambda e: e.text == "New task").send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "select[name=type]")))
    tab_to(browser, lambda e: e.get_attribute("name") == "type").send_keys("demo.sleep")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".schema-form input[name=seconds]")))
    for name in ("seconds", "steps"):
        field = tab_to(browser, lambda e, n=name: e.get_attribute("name") == n)
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys("30")
    tab_to(browser, lambda e: e.get_attribute("name") == "description").send_keys("Keyboard task", Keys.ENTER)
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "h2.view-title"), "Keyboard task"))
    assert driver.switch_to.active_element.text == "Keyboard task"

    cancel = tab_to(browser, lambda e: e.text == "Cancel task")
    cancel.send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.ID, "confirm")))
    assert driver.switch_to.active_element.text == "Keep it", "focus moves into the dialog"
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser).until(EC.invisibility_of_element_located((By.ID, "confirm")))
    assert driver.switch_to.active_element.text == "Cancel task", "focus returns to the button"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.ID, "confirm")))
    tab_to(browser, lambda e: e.text == "Cancel task" and e.find_element(By.XPATH, "ancestor::dialog")).send_keys(Keys.ENTER)
    wait_for_status(browser, "cancelled")
    assert_no_page_errors(browser)


def test_every_control_is_labelled_and_the_page_fits_a_phone(browser, console_url):
    driver = browser.driver
    sign_in(browser, console_url, owner("hu"))
    create_with_form(browser, "demo.sleep", {"seconds": 0, "steps": 1}, "Phone-sized task with a long description")
    wait_for_status(browser, "succeeded")
    unlabelled = """
        return [...document.querySelectorAll('input, select, textarea, progress, button')].filter((e) => {
          if (e.closest('[hidden]') || e.type === 'hidden') return false;
          const named = e.getAttribute('aria-label') || (e.labels && e.labels.length) || e.textContent.trim();
          return !named;
        }).map((e) => e.outerHTML);"""
    assert driver.execute_script(unlabelled) == []
    driver.set_window_size(*PHONE)
    wait(browser).until(lambda d: d.execute_script("return window.innerWidth") <= PHONE[0])
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    browser.screenshot("10-task-phone")
    driver.find_element(By.LINK_TEXT, "Tasks").click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "tbody tr")))
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    browser.screenshot("11-task-list-phone")
    open_new_task(browser)
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    browser.screenshot("12-new-task-phone")
    assert_no_page_errors(browser)
