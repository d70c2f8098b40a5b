#!/usr/bin/env python3
"""Browser tests of `runbook serve`, in a real headless Chromium driven by Selenium.

Started by Tests/WebTests/BrowserTests.swift (`swift test`), which starts the OIDC stub and
`runbook serve` on free ports and passes their addresses. Prints one line per test and ends with
"N passed, N failed"; exits 1 when a test failed.

  browser_test.py --url URL --runbook BIN --workdir DIR --stub URL [--screenshot PNG]
"""
import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARGS = None
BASE = None      # http://127.0.0.1:PORT
TOKEN_URL = None  # BASE/?token=...
RESULTS = []

COGNITO = {
    "appsmith_url": "https://appsmith.example.com",
    "region": "us-east-1",
    "user_pool_id": "us-east-1_AbCdEf123",
    "cognito_domain": "appsmith-login.auth.us-east-1.amazoncognito.com",
    "client_id": "1h57kf5cpq17m0eml12EXAMPLE",
    "client_secret": "s3cr3t-value-never-shown",
    "scope": "openid,profile,email",
}


def browser():
    options = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
              "--disable-dev-shm-usage"]:
        options.add_argument(a)
    options.binary_location = "/usr/bin/chromium"
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    d.set_page_load_timeout(60)
    return d


def sign_in(d, name):
    """Opens the address with the token, then gives the operator's name once."""
    d.get(TOKEN_URL)
    wait(d, lambda d: "/operator" in d.current_url or d.find_elements(By.TAG_NAME, "h1"))
    if "/operator" in d.current_url:
        d.find_element(By.ID, "name").send_keys(name)
        d.find_element(By.CSS_SELECTOR, "form.operator button").click()
        wait(d, lambda d: "/operator" not in d.current_url)


def wait(d, condition, timeout=30, message="condition not met"):
    try:
        # The page's script may swap the document while a condition reads it: read it again.
        return WebDriverWait(d, timeout, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]
                             ).until(condition)
    except TimeoutException:
        raise AssertionError(f"{message} (at {d.current_url})")


def prompt_key(d):
    for _ in range(20):
        try:
            found = d.find_elements(By.ID, "prompt")
            return found[0].get_attribute("data-prompt") if found else None
        except StaleElementReferenceException:
            time.sleep(0.1)
    raise AssertionError("the page kept changing")


def submit(d, button):
    """Clicks a button that submits the page, and waits for the next page."""
    old = d.find_element(By.TAG_NAME, "html")
    button.click()
    wait(d, lambda d: is_stale(old), timeout=90, message="the page did not change after submitting")
    wait(d, lambda d: d.execute_script("return document.readyState") == "complete")


def is_stale(element):
    try:
        element.tag_name
        return False
    except Exception:
        return True


def button(d, value):
    return d.find_element(By.CSS_SELECTOR, f"#prompt button[value='{value}']")


def problem_text(d):
    found = d.find_elements(By.CSS_SELECTOR, "#prompt .problem")
    return found[0].text if found else ""


def step_once(d, values, seen):
    """Answers the prompt the run is at; returns its key (None when there is none)."""
    key = prompt_key(d)
    if key is None:
        return None
    seen.append(key)
    kind = key.split(":")[0]
    if kind == "precondition":
        submit(d, button(d, "acknowledge"))
    elif kind == "input":
        for field in d.find_elements(By.CSS_SELECTOR, "#prompt .field input, #prompt .field select"):
            name = field.get_attribute("name")[len("input."):]
            if field.tag_name == "input":
                field.clear()
                field.send_keys(values.get(name, ""))
        submit(d, d.find_element(By.CSS_SELECTOR, "#prompt form.inputs button"))
    elif kind == "rows":
        for box in d.find_elements(By.CSS_SELECTOR, "input[type=checkbox][form=confirm-rows]"):
            box.click()
        submit(d, button(d, "confirm-rows"))
    elif kind == "page":
        # A reading page: its Continue sits under the part of the guide it is about.
        prompt = d.find_element(By.ID, "prompt")
        assert prompt.is_displayed(), "the reading page's Continue is not shown"
        submit(d, button(d, "acknowledge"))
    elif kind in ("command", "check"):
        submit(d, button(d, "run"))
    elif kind == "check-failed":
        raise AssertionError("a check failed: " + d.find_element(By.CSS_SELECTOR, ".check-failed").text)
    elif kind == "finish":
        submit(d, button(d, "done"))
    elif kind == "finished":
        submit(d, button(d, "done"))
    else:
        raise AssertionError("unknown prompt " + key)
    return key


def run_until(d, values, stop, limit=200):
    seen = []
    for _ in range(limit):
        key = prompt_key(d)
        if key is None or stop(key):
            return seen
        step_once(d, values, seen)
    raise AssertionError("too many prompts: " + ", ".join(seen[-5:]))


def runbook(*args, stdin=None, timeout=60):
    return subprocess.run([ARGS.runbook, *args], cwd=ARGS.workdir, input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, NO_COLOR="1"))


def state_path(d):
    """The state file of the run the page shows."""
    return d.find_element(By.CSS_SELECTOR, "article.doc .meta + .status, article.doc").get_attribute(
        "data-state") or run_path_from_key(d.find_element(By.TAG_NAME, "body").get_attribute("data-run"))


def run_path_from_key(key):
    padded = key.replace("-", "+").replace("_", "/") + "=" * (-len(key) % 4)
    import base64
    return base64.b64decode(padded).decode()


def start_run(d, guide_name):
    d.get(BASE + "/")
    rows = d.find_elements(By.XPATH, f"//tr[td/code[contains(text(), '{guide_name}')]]")
    assert rows, "the dashboard does not list " + guide_name
    submit(d, rows[0].find_element(By.CSS_SELECTOR, "form button"))
    assert "/runs/" in d.current_url, d.current_url
    return run_path_from_key(d.find_element(By.TAG_NAME, "body").get_attribute("data-run"))


# ----------------------------------------------------------------------------------------- tests

def test_token_required():
    for path in ["/", "/api/runs", "/static/app.js", "/?token=wrong"]:
        try:
            urllib.request.urlopen(BASE + path, timeout=10)
            raise AssertionError(path + " answered without the token")
        except urllib.error.HTTPError as e:
            assert e.code == 401, f"{path}: {e.code}"
    # The API with the token as a bearer.
    token = urllib.parse.parse_qs(urllib.parse.urlparse(TOKEN_URL).query)["token"][0]
    request = urllib.request.Request(BASE + "/api/runbooks", headers={"Authorization": "Bearer " + token})
    listed = json.load(urllib.request.urlopen(request, timeout=10))
    assert any(r["path"].endswith("amazon-cognito-oidc.md") for r in listed), listed


def test_cross_site_post():
    """A page on another origin posting a form to the server gets 403, even with the cookie."""
    target = BASE + "/runs"

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            page = (f"<form id=f method=post action='{target}'><input name=guide value=x></form>"
                    "<script>document.getElementById('f').submit()</script>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *a):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    d = browser()
    try:
        sign_in(d, "mallory-victim")
        d.get(f"http://127.0.0.1:{server.server_port}/")
        wait(d, lambda d: d.current_url.startswith(target), message="the form was not posted")
        wait(d, lambda d: "403" in d.page_source, message="no 403 page")
        assert "another site" in d.page_source, d.page_source[:500]
    finally:
        d.quit()
        server.shutdown()


def test_cognito_in_the_browser():
    """The bundled runbook against the local OIDC stub: a refused value first, rows, checks, a
    reload, a second browser watching live, the CLI refused while the browser drives, a hand-over
    to the terminal and back, then the report."""
    d = browser()
    watcher = None
    try:
        sign_in(d, "alice")
        state = start_run(d, "amazon-cognito-oidc.md")
        values = dict(COGNITO, discovery_base=ARGS.stub)

        # Preconditions, then a value the guide's own validation refuses.
        run_until(d, values, lambda k: k.startswith("input:"))
        assert prompt_key(d) == "input:appsmith_url", prompt_key(d)
        field = d.find_element(By.ID, "input-appsmith_url")
        field.send_keys("http://appsmith.example.com/")
        submit(d, d.find_element(By.CSS_SELECTOR, "#prompt form.inputs button"))
        assert prompt_key(d) == "input:appsmith_url"
        assert "http:// is accepted only for localhost" in problem_text(d), problem_text(d)

        # The derived redirect URL is filled into the guide's text once the value is given.
        run_until(d, values, lambda k: k.startswith("finish:open-appsmith-oidc/1.3"))
        assert "https://appsmith.example.com/login/oauth2/code/oidc" in d.find_element(
            By.ID, "step-open-appsmith-oidc/1.3").text

        # The CLI refuses a run the server drives, with exit status 5.
        refused = runbook("resume", state, "--interactive", stdin="")
        assert refused.returncode == 5, (refused.returncode, refused.stderr)
        assert "in use" in refused.stderr, refused.stderr

        # Reload in the middle: the same prompt, nothing lost.
        before = prompt_key(d)
        d.refresh()
        assert prompt_key(d) == before, (before, prompt_key(d))

        # A second browser (another operator) watches the run live, read-only.
        watcher = browser()
        sign_in(watcher, "bob")
        watcher.get(d.current_url.split("#")[0])
        assert "read-only" in watcher.find_element(By.ID, "run-status").text
        assert not watcher.find_elements(By.ID, "prompt"), "a watcher must not get the controls"
        step_id = before.split(":", 1)[1]
        submit(d, button(d, "done"))
        wait(watcher, lambda w: "done" in (w.find_element(By.ID, "step-" + step_id).get_attribute("class") or ""),
             timeout=15, message="the second browser did not see the step finish")

        # On to the table of step 6, through the check of step 3 and the secret of step 5.
        run_until(d, values, lambda k: k.startswith("rows:configure-hosted-ui"))
        page = d.page_source
        assert COGNITO["client_secret"] not in page, "the secret came back to the browser"
        check = d.find_element(By.ID, "step-record-pool-id").text
        assert "Check passed" in check, check
        if ARGS.screenshot:
            d.execute_script("document.getElementById('step-copy-client-credentials').scrollIntoView()")
            d.save_screenshot(ARGS.screenshot)
        # Tick the first two rows only, then leave: the other two are for the terminal.
        boxes = d.find_elements(By.CSS_SELECTOR, "input[type=checkbox][form=confirm-rows]")
        assert len(boxes) == 4, len(boxes)
        boxes[0].click()
        boxes[1].click()
        submit(d, button(d, "confirm-rows"))
        assert prompt_key(d) == "rows:configure-hosted-ui:0"
        checked = d.find_elements(By.CSS_SELECTOR, "#step-configure-hosted-ui input[type=checkbox][checked]")
        assert len(checked) == 2, len(checked)
        wait(watcher, lambda w: len(w.find_elements(
            By.CSS_SELECTOR, "#step-configure-hosted-ui input[type=checkbox][checked]")) == 2,
            timeout=15, message="the second browser did not see the rows confirmed")

        # Save and leave; the terminal resumes, confirms the rest, finishes the step, quits.
        submit(d, d.find_element(By.CSS_SELECTOR, "#run-status button"))
        terminal = runbook("resume", state, "--interactive", "--operator", "terry@terminal",
                           stdin="y\ny\nd\nq\n")
        assert terminal.returncode == 4, (terminal.returncode, terminal.stdout[-800:], terminal.stderr)
        status = runbook("status", state, "--json")
        assert status.returncode in (0, 4), status.stderr

        # Back in the browser: resume here and finish.
        d.get(d.current_url.split("#")[0])
        submit(d, d.find_element(By.CSS_SELECTOR, "#run-status form button"))
        assert "terry@terminal" in d.find_element(By.ID, "step-configure-hosted-ui").text
        run_until(d, values, lambda k: k.startswith("finish:check-discovery"))
        discovery = d.find_element(By.ID, "step-check-discovery").text
        assert "Check passed" in discovery, discovery
        run_until(d, values, lambda k: False)
        assert "complete" in d.page_source.lower()
        wait(watcher, lambda w: "completed" in w.find_element(By.CSS_SELECTOR, "article .meta").text,
             timeout=15, message="the watcher did not see the run complete")

        # The completion reports are written where `runbook run` writes them.
        reports = [f for f in os.listdir(os.path.join(ARGS.workdir, os.path.dirname(state)) or ".")
                   if ".report." in f]
        assert any(f.endswith(".md") for f in reports) and any(f.endswith(".html") for f in reports), reports
        # The journal is an ordinary one.
        verify = runbook("verify", state)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        report = json.loads(runbook("report", state, "--format", "json").stdout)
        assert report["outcome"] == "completed", report["outcome"]
        assert report["operators"][:1] == ["alice"] and "terry@terminal" in report["operators"], report["operators"]
        secret = [i for i in report["inputs"] if i["id"] == "client_secret"][0]
        assert secret["value"] == "provided (secret)", secret
        with open(os.path.join(ARGS.workdir, state)) as f:
            assert COGNITO["client_secret"] not in f.read(), "the secret was stored"
        # The page links the reports.
        d.get(d.find_element(By.LINK_TEXT, "HTML").get_attribute("href"))
        assert "Completed" in d.page_source or "completed" in d.page_source
    finally:
        d.quit()
        if watcher:
            watcher.quit()


def test_terminal_run_is_read_only():
    """A run a terminal holds is shown live and read-only; its answers appear as they are given."""
    guide = os.path.join("guides", "plain.md")
    state = os.path.join(".runbook", "plain-terminal.state.jsonl")
    process = subprocess.Popen([ARGS.runbook, "run", guide, "--state", state, "--interactive", "--operator", "tess"],
                               cwd=ARGS.workdir, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, text=True)
    d = browser()
    try:
        deadline = time.time() + 20
        while not os.path.exists(os.path.join(ARGS.workdir, state)) and time.time() < deadline:
            time.sleep(0.1)
        sign_in(d, "rita")
        d.get(BASE + "/runs/" + key_of(state))
        status = d.find_element(By.ID, "run-status").text
        assert "Live in a terminal" in status and "tess" in status, status
        assert not d.find_elements(By.ID, "prompt"), "controls on a run a terminal holds"
        assert not d.find_elements(By.XPATH, "//button[contains(., 'Resume')]")
        process.stdin.write("d\n")
        process.stdin.flush()
        wait(d, lambda d: "done" in (d.find_element(By.ID, "step-first/1").get_attribute("class") or ""),
             timeout=15, message="the terminal's answer did not show")
    finally:
        process.stdin.close()
        process.wait(timeout=30)
        d.quit()


def test_command_output_note_skip_back():
    """A command's output streams into the page while it runs; notes, skip with a reason and back
    are recorded."""
    d = browser()
    try:
        sign_in(d, "Zoë Ørsted")
        state = start_run(d, "commands.md")
        assert prompt_key(d) == "command:do/1:0", prompt_key(d)
        button(d, "run").click()
        wait(d, lambda d: "first-line" in d.find_element(By.ID, "live-output").text, timeout=10,
             message="no output while the command ran")
        assert "second-line" not in d.find_element(By.ID, "live-output").text, "the output came only at the end"
        wait(d, lambda d: prompt_key(d) == "finish:do/1", timeout=30, message="the command did not finish")
        assert "Command passed" in d.find_element(By.ID, "step-do/1").text
        d.find_element(By.CSS_SELECTOR, "#prompt details.more summary").click()
        d.find_element(By.ID, "note").send_keys("checked by hand")
        submit(d, button(d, "note"))
        assert "checked by hand" in d.find_element(By.ID, "step-do/1").text
        submit(d, button(d, "done"))
        d.find_element(By.CSS_SELECTOR, "#prompt details.more summary").click()
        d.find_element(By.ID, "reason").send_keys("not needed here")
        submit(d, button(d, "skip"))
        assert "skipped: not needed here" in d.find_element(By.ID, "step-do/2").text
        assert prompt_key(d) == "finish:do/3", prompt_key(d)
        d.find_element(By.CSS_SELECTOR, "#prompt details.more summary").click()
        submit(d, button(d, "back"))
        assert prompt_key(d) == "finish:do/2", prompt_key(d)
        report = json.loads(runbook("report", state, "--format", "json").stdout)
        steps = {s["id"]: s for s in report["steps"]}
        assert steps["do/2"]["status"] == "skipped" and steps["do/2"]["reason"] == "not needed here", steps["do/2"]
        assert steps["do/1"]["notes"] == ["checked by hand"], steps["do/1"]
        assert report["operators"] == ["Zoë Ørsted"], report["operators"]
        ran = report["ran"][0]
        assert ran["result"] == "passed" and "second-line" in ran["output"], ran
    finally:
        d.quit()


def key_of(path):
    import base64
    return base64.b64encode(path.encode()).decode().replace("+", "-").replace("/", "_").rstrip("=")


def test_hostile_content_does_nothing():
    """Script, javascript: links and event handlers from a guide and from answers stay inert."""
    d = browser()
    try:
        sign_in(d, "<img src=x onerror=window.__pwned=1>")
        start_run(d, "hostile.md")
        hostile = '"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">\u0301'
        run_until(d, {"name": hostile}, lambda k: k.startswith("finish:"))
        assert d.execute_script("return window.__pwned === undefined"), "a script from the guide or an answer ran"
        links = d.execute_script(
            "return Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
        assert not [h for h in links if h and h.strip().lower().startswith(("javascript", "data", "vbscript"))], links
        handlers = d.execute_script(
            "return Array.from(document.querySelectorAll('*')).filter(e => Array.from(e.attributes)"
            ".some(a => a.name.startsWith('on'))).length")
        assert handlers == 0, handlers
        assert not d.find_elements(By.CSS_SELECTOR, "main script, main iframe, main object")
        assert "<script>window.__pwned=1</script>" in d.find_element(By.TAG_NAME, "main").text
        try:
            d.switch_to.alert
            raise AssertionError("an alert opened")
        except Exception:
            pass
    finally:
        d.quit()


def main():
    global ARGS, BASE, TOKEN_URL
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--runbook", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--stub", required=True)
    p.add_argument("--screenshot")
    p.add_argument("--only")
    ARGS = p.parse_args()
    TOKEN_URL = ARGS.url
    parsed = urllib.parse.urlparse(ARGS.url)
    BASE = f"{parsed.scheme}://{parsed.netloc}"
    tests = [test_token_required, test_cross_site_post, test_hostile_content_does_nothing,
             test_terminal_run_is_read_only, test_command_output_note_skip_back, test_cognito_in_the_browser]
    passed = failed = 0
    for test in tests:
        if ARGS.only and ARGS.only not in test.__name__:
            continue
        started = time.time()
        try:
            test()
            passed += 1
            print(f"ok   {test.__name__} ({time.time() - started:.1f} s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {test.__name__} ({time.time() - started:.1f} s)", flush=True)
            traceback.print_exc(file=sys.stdout)
    print(f"{passed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
