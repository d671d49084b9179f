"""``policybot serve --teams-dev`` as a real process, and the app package a school uploads to Teams."""
from __future__ import annotations

import importlib.util
import io
import json
import os
import socket
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
import requests

from adapters.teams.settings import TeamsSettings
from bot import messages
from fake_connector import SCHEMAS, FakeConnector, Teams

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy" / "teams"
APP_ID = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DEPLOY / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    fake = FakeConnector().start()
    yield fake
    fake.stop()
    assert fake.invalid_cards == []


def test_serve_teams_dev_alone_answers_a_message_from_a_real_process(
        tmp_path: Path, db_url: str, knowledge_dir: Path, connector: FakeConnector) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    env.update(POLICYBOT_DATABASE_URL=db_url, POLICYBOT_KNOWLEDGE_DIR=str(knowledge_dir))
    port = free_port()
    command = [str(Path(sys.executable).with_name("policybot")), "serve", "--teams-dev",
               "--host", "127.0.0.1", "--port", str(port)]
    started = time.monotonic()
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        while True:
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() - started < 20, "not listening within 20 s"
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)

        teams = Teams(connector.url)
        message = teams.message("can I accept a friend request from a pupil's mum on facebook?")
        response = requests.post(f"http://127.0.0.1:{port}/api/messages", json=message, timeout=30)
        assert response.status_code == 200
        greeting, answer = connector.wait_for(2)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=15)

    assert greeting.text == messages.greeting("Huxley CE Primary School")
    [card] = answer.cards
    assert "“You must not accept students or their parents /carers as friends" in json.dumps(
        card, ensure_ascii=False)
    assert "Teams: up (POST /api/messages, development mode" in stderr
    slack = next(line for line in stderr.splitlines() if line.startswith("Slack: "))
    assert slack.startswith("Slack: off (") and len(slack) > len("Slack: off ()")  # off, and why
    assert f"listening on http://127.0.0.1:{port}" in stderr


# --- the app package ----------------------------------------------------------------------------


def pixels(png: bytes) -> list[tuple[int, int, int, int]]:
    """The RGBA pixels of a PNG as make_icons writes them (8-bit RGBA, filter 0, one IDAT)."""
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (8, 6)
    idat = png.index(b"IDAT")
    raw = zlib.decompress(png[idat + 4: idat + 4 + struct.unpack(">I", png[idat - 4: idat])[0]])
    rows = [raw[y * (width * 4 + 1): (y + 1) * (width * 4 + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return [tuple(row[1 + 4 * x: 5 + 4 * x]) for row in rows for x in range(width)]  # type: ignore[misc]


def test_the_package_holds_a_manifest_valid_against_the_official_schema_and_both_icons(
        tmp_path: Path) -> None:
    out = load("build_package").build(APP_ID, "1.2.3", tmp_path / "policybot-teams.zip")

    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color, outline = package.read("color.png"), package.read("outline.png")

    schema = json.loads((SCHEMAS / "teams-manifest-1.30.json").read_text(encoding="utf-8"))
    assert list(jsonschema.validators.validator_for(schema)(schema).iter_errors(manifest)) == []
    assert manifest["manifestVersion"] == "1.30" and "/v1.30/" in manifest["$schema"]
    assert (manifest["id"], manifest["version"], manifest["bots"][0]["botId"]) == (APP_ID, "1.2.3", APP_ID)
    assert set(manifest["bots"][0]["scopes"]) == {"personal", "team", "groupChat"}
    assert struct.unpack(">II", color[16:24]) == (192, 192)
    assert struct.unpack(">II", outline[16:24]) == (32, 32)
    assert {p[3] for p in pixels(color)} == {255}  # full colour, opaque
    assert set(pixels(outline)) == {(255, 255, 255, 255), (0, 0, 0, 0)}  # white on transparent only


def test_the_icons_in_the_repository_are_the_ones_the_script_draws() -> None:
    icons = load("make_icons")
    assert (DEPLOY / "color.png").read_bytes() == icons.png(icons.color_icon())
    assert (DEPLOY / "outline.png").read_bytes() == icons.png(icons.outline_icon())


@pytest.mark.parametrize(("argv", "error"), [
    ([], "is not a GUID"),
    (["--app-id", "policybot"], "is not a GUID"),
    (["--app-id", APP_ID, "--version", "v2"], "is not MAJOR.MINOR.PATCH"),
])
def test_the_build_command_refuses_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], argv: list[str],
                                             error: str) -> None:
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    assert load("build_package").main([*argv, "--out", str(tmp_path / "p.zip")]) == 1
    assert error in capsys.readouterr().err and not (tmp_path / "p.zip").exists()


def test_a_wrong_size_icon_is_refused(tmp_path: Path) -> None:
    build = load("build_package")
    for name in ("manifest.json", "outline.png"):
        (tmp_path / name).write_bytes((DEPLOY / name).read_bytes())
    (tmp_path / "color.png").write_bytes((DEPLOY / "outline.png").read_bytes())  # 32x32, not 192x192
    with pytest.raises(build.PackageError, match="color.png must be 192x192 pixels, not 32x32"):
        build.build(APP_ID, "0.1.0", tmp_path / "out.zip", source=tmp_path)


def test_the_build_command_reads_the_app_id_from_the_environment(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    out = tmp_path / "p.zip"
    result = subprocess.run([sys.executable, str(DEPLOY / "build_package.py"), "--out", str(out)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as package:
        assert json.loads(package.read("manifest.json"))["id"] == APP_ID


def test_every_microsoft_setting_is_documented() -> None:
    readme, example = (REPO / "README.md").read_text(encoding="utf-8"), (REPO / ".env.example").read_text()
    for name in TeamsSettings.model_fields:
        assert f"| `{name}` |" in readme and f"\n{name}=" in example, name
