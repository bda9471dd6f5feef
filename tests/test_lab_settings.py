"""`make lab`, Binder and the hub open JupyterLab clean: the course's settings are shipped and in effect.

``jupyter/overrides.json`` sets, for everyone (JupyterLab's "overrides.json" in its
application settings directory, ``{sys.prefix}/share/jupyter/lab/settings``):

- ``@jupyterlab/apputils-extension:notification`` ``fetchNews: "false"`` ("Never"): no
  "get notified about official Jupyter news?" pop-up over lesson 00; ``checkForUpdates: false``;
- ``@jupyterlab/notebook-extension:tracker`` ``kernelShutdown: true``: closing a lesson's tab
  shuts its kernel down, so a learner walking through the lessons does not pile up a kernel
  of about 1 GB per lesson.

The keys are checked against the schemas of the JupyterLab installed here (a renamed setting
fails the test), the places that install the file are checked, and a real JupyterLab started
with the file serves the new defaults through its settings API.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "jupyter" / "overrides.json"
EXPECTED = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"kernelShutdown": True},
}
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def test_overrides_say_no_news_and_shut_closed_kernels_down():
    assert json.loads(OVERRIDES.read_text()) == EXPECTED


@pytest.mark.parametrize("plugin", sorted(EXPECTED))
def test_every_key_exists_in_jupyterlab_with_an_allowed_value(plugin):
    package, name = plugin.split(":")
    schema_file = SCHEMAS / package / f"{name}.json"
    if not schema_file.exists():
        pytest.skip(f"JupyterLab's schemas are not installed in {sys.prefix}")
    properties = json.loads(schema_file.read_text())["properties"]
    for key, value in EXPECTED[plugin].items():
        assert key in properties, f"{plugin} has no setting {key!r} in this JupyterLab"
        allowed = properties[key]
        if "oneOf" in allowed:
            assert value in [choice["const"] for choice in allowed["oneOf"]]
        else:
            assert isinstance(value, {"boolean": bool, "string": str}[allowed["type"]])


def recipe(makefile: str, target: str) -> str:
    """The recipe lines of ``target`` in the Makefile."""
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert match, f"no target {target} in the Makefile"
    return match.group(1)


def test_makefile_installs_the_settings_where_jupyterlab_reads_them_and_opens_lesson_00():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^LAB_SETTINGS := \$\(VENV\)/share/jupyter/lab/settings$", makefile, re.M)
    copy = "cp jupyter/overrides.json $(LAB_SETTINGS)/overrides.json"
    assert copy in recipe(makefile, "$(STAMP)"), "the venv step must install the settings"
    lab = recipe(makefile, "lab")
    assert copy in lab, "make lab must refresh the settings"
    assert lab.strip().splitlines()[-1].endswith("jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb")


def test_that_place_is_jupyterlabs_application_settings_directory():
    from jupyterlab.labapp import LabApp

    assert Path(LabApp().app_settings_dir) == Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def test_binder_and_the_hub_image_install_the_same_file():
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert 'cp jupyter/overrides.json "${NB_PYTHON_PREFIX}/share/jupyter/lab/settings/overrides.json"' in post_build
    dockerfile = (ROOT / "docs" / "hub" / "Dockerfile").read_text()
    assert re.search(r"^COPY jupyter/overrides\.json \S+/share/jupyter/lab/settings/overrides\.json$", dockerfile, re.M)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_running_jupyterlab_serves_the_overrides_as_defaults(tmp_path):
    """GET /lab/api/settings/<plugin>: the schema's defaults are the overridden values."""
    settings = tmp_path / "app-settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(OVERRIDES.read_text())
    port, token = free_port(), "lab-settings-test"
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
        f"--ServerApp.root_dir={tmp_path}", f"--IdentityProvider.token={token}", "--LabApp.news_url=",
        f"--LabApp.app_settings_dir={settings}",
    ]  # fmt: skip
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        found = {}
        for plugin in EXPECTED:
            url = f"http://127.0.0.1:{port}/lab/api/settings/{plugin}?token={token}"
            for _ in range(120):
                try:
                    with urllib.request.urlopen(url, timeout=5) as response:
                        found[plugin] = json.load(response)
                    break
                except OSError:
                    assert server.poll() is None, (tmp_path / "lab.log").read_text()
                    time.sleep(0.5)
        for plugin, values in EXPECTED.items():
            properties = found[plugin]["schema"]["properties"]
            assert {key: properties[key]["default"] for key in values} == values, plugin
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
