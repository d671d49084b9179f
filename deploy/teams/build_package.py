"""Build the Teams app package a school uploads (Teams admin centre → Manage apps → Upload).

    uv run python deploy/teams/build_package.py --app-id <MICROSOFT_APP_ID> [--version 0.1.0] [--out FILE]

The package is a zip of manifest.json, color.png and outline.png at its root. The manifest's
app id and bot id become the Azure Bot's Microsoft App ID (default: $MICROSOFT_APP_ID).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
ICON_SIZES = {"color": 192, "outline": 32}


class PackageError(ValueError):
    """The package cannot be built as asked; the message says which input is wrong."""


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise PackageError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def manifest_for(app_id: str, version: str, template: dict[str, Any]) -> dict[str, Any]:
    if not GUID.match(app_id):
        raise PackageError(f"the app id {app_id!r} is not a GUID (the Azure Bot's Microsoft App ID is one)")
    if not SEMVER.match(version):
        raise PackageError(f"the version {version!r} is not MAJOR.MINOR.PATCH")
    manifest = json.loads(json.dumps(template))
    manifest["id"] = app_id
    manifest["version"] = version
    for bot in manifest["bots"]:
        bot["botId"] = app_id
    return manifest


def build(app_id: str, version: str, out: Path, source: Path = HERE) -> Path:
    template = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest = manifest_for(app_id, version, template)
    files = {"manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")}
    for kind, size in ICON_SIZES.items():
        name = manifest["icons"][kind]
        data = (source / name).read_bytes()
        width, height = png_size(data)
        if (width, height) != (size, size):
            raise PackageError(f"{name} must be {size}x{size} pixels, not {width}x{height}")
        files[name] = data
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-id", default=os.environ.get("MICROSOFT_APP_ID", ""),
                        help="the Azure Bot's Microsoft App ID (default: $MICROSOFT_APP_ID)")
    parser.add_argument("--version", default=None, help="the app version (default: the manifest's)")
    parser.add_argument("--out", type=Path, default=Path("dist/policybot-teams.zip"), help="the zip to write")
    args = parser.parse_args(argv)
    version = args.version or json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))["version"]
    try:
        written = build(args.app_id, version, args.out)
    except (PackageError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
