"""The course in a real JupyterLab, driven by headless Chromium through Playwright.

The test starts JupyterLab on 127.0.0.1 with a token, on a copy of the notebooks (so
autosave never touches the committed ones), opens a lesson, runs all cells and checks that
no cell ended in an error and that the browser console shows no widget errors. Then, as a
learner would: in lessons 01, 03 and 06 it moves a slider of the explorer with the keyboard,
and in lesson 08 it ticks the broken-run picker's "apply the fix", and waits until the plot
changes; in lesson 00 it types an exercise's worked solution into the
starter cell, runs it with Shift+Enter and waits for the check to say "pass"; in lesson 12 it
ticks a code in the quiz with the mouse, clicks "Check my answer" and waits for the feedback.
Screenshots go to ``tests/browser/screenshots/`` (or ``$LESSONS_SCREENSHOTS``).

It uses Debian's ``chromium`` (``tools/browser_deps`` installs it); Playwright never
downloads a browser here. Without Chromium it skips, except on CI, where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from exercise_runner import solution_source, starter_source  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("LESSONS_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(os.environ.get("LESSONS_SCREENSHOTS", ROOT / "tests" / "browser" / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "reading-the-curves-browser-test"
#: (lesson, the control moved, its label): a slider is moved one step with the keyboard, a
#: checkbox is clicked.
MOVES = [
    ("01_house_price_regression", "slider", "learning rate"),
    ("03_dropout_val_above_train", "slider", "learning rate"),
    ("06_overfitting_regularization_early_stopping", "slider", "training images"),
    ("08_troubleshooting_checklist", "checkbox", "apply the fix"),
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: CI must run the browser test (tools/browser_deps installs it)")
    pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium package)", allow_module_level=True)

playwright_sync = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_lab_settings(settings_dir: Path) -> None:
    """Render every cell (JupyterLab 4 skips off-screen cells otherwise) and fetch no news."""
    overrides = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for name, content in overrides.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", workdir / "notebooks")
    write_lab_settings(workdir / "settings")
    port = free_port()
    environment = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(workdir / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.root_dir={workdir / 'notebooks'}",
        f"--IdentityProvider.token={TOKEN}", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
    ]  # fmt: skip
    log = open(workdir / "jupyterlab.log", "w")
    server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited early; see {workdir / 'jupyterlab.log'}")
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield url
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


NOTEBOOK_DONE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.content || !panel.sessionContext.session) return false;
    const kernel = panel.sessionContext.session.kernel;
    if (!kernel || kernel.status !== 'idle') return false;
    const cells = Array.from(panel.content.model.cells);
    return cells.every(cell => cell.type !== 'code' || cell.executionCount !== null);
}"""

ERROR_OUTPUTS = """() => {
    const cells = Array.from(window.jupyterapp.shell.currentWidget.content.model.cells);
    const errors = [];
    cells.forEach((cell, index) => {
        if (cell.type !== 'code') return;
        for (const output of cell.toJSON().outputs) {
            if (output.output_type === 'error') errors.push(`cell ${index}: ${output.ename}: ${output.evalue}`);
        }
    });
    return errors;
}"""


def slider_plot_sources(page, slider) -> list[str]:
    """The images drawn in the cell that holds ``slider`` (the explorer's curve panel)."""
    cell = slider.locator("xpath=ancestor::div[contains(@class, 'jp-Cell')][1]")
    return [image.get_attribute("src") or "" for image in cell.locator("img").all()]


def open_and_run_all(browser, lab_url: str, lesson: str):
    """Open ``lesson`` in JupyterLab, run every cell, check that none failed; the page and console errors."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(f"{lab_url}/lab/workspaces/{lesson}/tree/{lesson}.ipynb?reset&token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget", timeout=60_000)
    page.wait_for_function(
        "() => { const p = window.jupyterapp.shell.currentWidget;"
        " return p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel"
        " && p.sessionContext.session.kernel.status === 'idle'; }",
        timeout=60_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(NOTEBOOK_DONE, timeout=600_000, polling=1000)
    page.screenshot(path=str(SCREENSHOTS / f"{lesson}_after_run_all.png"), full_page=False)
    assert page.evaluate(ERROR_OUTPUTS) == []
    return context, page, console_errors


def widget_errors(console_errors: list[str]) -> list[str]:
    return [text for text in console_errors if "widget" in text.lower() or "model" in text.lower()]


def explorer_control(page, kind: str, label: str):
    """The explorer's control labelled ``label``: a slider, or a checkbox."""
    if kind == "slider":
        return page.locator(".widget-slider", has=page.locator(".widget-label", has_text=label)).first
    return page.locator(".widget-checkbox", has_text=label).first


def move(control, kind: str) -> None:
    """As a learner would: one step to the right with the keyboard, or a click on the checkbox."""
    if kind == "slider":
        handle = control.locator(".noUi-handle")
        handle.focus()
        handle.press("ArrowRight")
    else:
        control.locator("input[type=checkbox]").click()


@pytest.mark.parametrize(("lesson", "kind", "label"), MOVES, ids=[move[0][:2] for move in MOVES])
def test_lesson_runs_in_jupyterlab_and_its_explorer_redraws(lab_url, browser, lesson, kind, label):
    context, page, console_errors = open_and_run_all(browser, lab_url, lesson)

    control = explorer_control(page, kind, label)
    control.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    control.evaluate("element => element.setAttribute('data-browser-test', 'slider')")
    before = slider_plot_sources(page, control)
    assert before, "the explorer shows no plot image"
    move(control, kind)
    page.wait_for_function(
        """(before) => {
            const cell = document.querySelector('[data-browser-test=slider]').closest('.jp-Cell');
            const now = Array.from(cell.querySelectorAll('img')).map(image => image.src);
            return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before);
        }""",
        arg=before,
        timeout=60_000,
        polling=250,
    )
    control.screenshot(path=str(SCREENSHOTS / f"{lesson}_control_moved.png"))
    page.screenshot(path=str(SCREENSHOTS / f"{lesson}_after_move.png"))
    assert widget_errors(console_errors) == []
    context.close()


def test_an_exercise_check_answers_pass_after_the_learner_types_the_solution(lab_url, browser):
    lesson, exercise = "00_start_here", "00.4"
    context, page, console_errors = open_and_run_all(browser, lab_url, lesson)
    first_line = starter_source(f"{lesson}.ipynb", exercise).splitlines()[0]
    found = page.locator(".jp-CodeCell", has=page.locator(".cm-content", has_text=first_line)).first
    found.scroll_into_view_if_needed()
    found.evaluate("element => element.setAttribute('data-browser-test', 'exercise')")
    cell = page.locator("[data-browser-test=exercise]")  # the cell's text is about to change
    assert "not yet" in cell.locator(".jp-OutputArea").inner_text()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(solution_source(f"{lesson}.ipynb", exercise))
    page.keyboard.press("Shift+Enter")
    cell.locator(".jp-OutputArea", has_text=f"Exercise {exercise}").filter(has_text="pass").wait_for(timeout=60_000)
    assert "not yet" not in cell.locator(".jp-OutputArea").inner_text()
    cell.screenshot(path=str(SCREENSHOTS / f"{lesson}_exercise_{exercise}_passed.png"))
    assert widget_errors(console_errors) == []
    context.close()


def test_a_quiz_item_gets_feedback_after_a_click(lab_url, browser):
    lesson = "12_read_the_curves_quiz"
    context, page, console_errors = open_and_run_all(browser, lab_url, lesson)
    check_button = page.get_by_role("button", name="Check my answer").first
    check_button.scroll_into_view_if_needed()
    box = page.locator(".widget-checkbox", has_text="(overfitting)").first.locator("input[type=checkbox]")
    box.click()
    assert box.is_checked()
    check_button.click()
    feedback = page.locator(".quiz-feedback").first
    feedback.wait_for(timeout=30_000)
    text = feedback.inner_text()
    assert any(verdict in text for verdict in ("RIGHT", "PARTLY", "WRONG")), text
    page.screenshot(path=str(SCREENSHOTS / f"{lesson}_feedback.png"))
    assert widget_errors(console_errors) == []
    context.close()
