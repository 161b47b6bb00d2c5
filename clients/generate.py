"""Generate the typed clients from kycrail's OpenAPI document, or check that they are up to date.

    python clients/generate.py          # `make clients`: write clients/openapi.json and both clients
    python clients/generate.py --check  # CI: regenerate into a temporary folder; exit 1 on any drift

The document is the one a production server serves (no sandbox routes). Python: openapi-python-client
(clients/python/kycrail_api, never edited by hand). TypeScript: openapi-typescript's types
(clients/typescript/src/schema.d.ts), installed with npm into a cache folder (no lockfile is kept).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CLIENTS = Path(__file__).resolve().parent
DOCUMENT = CLIENTS / "openapi.json"
PYTHON_PACKAGE = CLIENTS / "python" / "kycrail_api"
TYPES = CLIENTS / "typescript" / "src" / "schema.d.ts"
OPENAPI_TYPESCRIPT = "openapi-typescript@7.13.0"
NPM_CACHE = Path(os.environ.get("KYCRAIL_NPM_CACHE", Path.home() / ".cache" / "kycrail-npm"))


def document() -> str:
    """The production document, as `kycrail serve` answers /openapi.json (its keys in a stable order)."""
    from kycrail.app import create_app
    from kycrail.config import load_settings

    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(database_url=f"sqlite:///{folder}/kycrail.db", sandbox=False)
        served = create_app(settings).openapi()
    return json.dumps(served, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def python_client(source: Path, package: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "kycrail_api"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "openapi-python-client"),
                "generate",
                "--path",
                str(source),
                "--output-path",
                str(out),
                "--meta",
                "none",
                "--config",
                str(CLIENTS / "python" / "generator.yaml"),
                "--overwrite",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        shutil.rmtree(package, ignore_errors=True)
        shutil.copytree(out, package)


def typescript_types(source: Path, target: Path) -> None:
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    tool = NPM_CACHE / "node_modules" / ".bin" / "openapi-typescript"
    if not tool.exists():
        subprocess.run(
            ["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix",
             str(NPM_CACHE), OPENAPI_TYPESCRIPT],
            check=True,
            capture_output=True,
            timeout=300,
        )  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(tool), str(source), "--output", str(target)], check=True, capture_output=True)


def differences(left: Path, right: Path) -> list[str]:
    if left.is_file() or right.is_file():
        same = left.is_file() and right.is_file() and left.read_bytes() == right.read_bytes()
        return [] if same else [str(left)]
    compared = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [str(left / name) for name in compared.left_only + compared.right_only + compared.diff_files]
    for name in compared.common_dirs:
        found += differences(left / name, right / name)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a client is not up to date")
    args = parser.parse_args()
    text = document()
    if not args.check:
        DOCUMENT.write_text(text)
        python_client(DOCUMENT, PYTHON_PACKAGE)
        typescript_types(DOCUMENT, TYPES)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder)
        (fresh / "openapi.json").write_text(text)
        python_client(fresh / "openapi.json", fresh / "kycrail_api")
        typescript_types(fresh / "openapi.json", fresh / "schema.d.ts")
        drift = (
            differences(DOCUMENT, fresh / "openapi.json")
            + differences(PYTHON_PACKAGE, fresh / "kycrail_api")
            + differences(TYPES, fresh / "schema.d.ts")
        )
    if drift:
        stale = "The clients are not generated from the current document (run `make clients`):"
        print(stale, *drift, sep="\n  ")
        return 1
    print("clients: up to date with the document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
