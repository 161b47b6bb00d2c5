"""The TypeScript client (clients/typescript): type-checked and built with tsc against the types
openapi-typescript generated from the document, then run end to end by node against a running kycrail
(clients/typescript/e2e/run.ts).

Its npm packages (package.json's exact versions) are installed at run time into pytest's cache folder,
never into the work tree, and no lockfile is kept; the test skips only where node or npm is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.conftest import CLIENTS, Server
from tests.conftest import POSTGRES_URL

# Real servers of their own, each on its own SQLite file: once per CI run (the SQLite pass).
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(POSTGRES_URL), reason="run in the SQLite pass")]
PACKAGE = CLIENTS / "typescript"


@pytest.fixture(scope="session")
def node_modules(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to build and run the TypeScript client")
    manifest = json.loads((PACKAGE / "package.json").read_text())
    wanted = {**manifest["dependencies"], **manifest["devDependencies"]}
    cache = getattr(pytestconfig, "cache", None)
    folder = cache.mkdir("kycrail-typescript-client") if cache is not None else tmp_path_factory.mktemp("npm")
    installed = folder / "node_modules"
    stamp = folder / "installed.json"
    if not stamp.exists() or json.loads(stamp.read_text()) != wanted:
        specs = [f"{name}@{version}" for name, version in sorted(wanted.items())]
        install = ["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund"]
        subprocess.run(
            [*install, "--prefix", str(folder), *specs], check=True, capture_output=True, timeout=600
        )
        stamp.write_text(json.dumps(wanted))
    return installed


@pytest.fixture
def built(node_modules: Path, tmp_path: Path) -> Path:
    """The package copied beside its node_modules, type-checked and compiled by tsc (a type error fails)."""
    work = tmp_path / "typescript"
    shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("node_modules", "dist"))
    (work / "node_modules").symlink_to(node_modules, target_is_directory=True)
    done = subprocess.run(
        [str(node_modules / ".bin" / "tsc"), "-p", "tsconfig.json"], cwd=work, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return work


def test_the_typescript_client_type_checks_and_drives_both_dialects(built: Path, server: Server) -> None:
    env = {**os.environ, "KYCRAIL_URL": server.url, "KYCRAIL_KEY": server.key}
    done = subprocess.run(
        ["node", "dist/e2e/run.js"], cwd=built, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["patch"] == {
        "status": 200,
        "city": "San Francisco",
        "meta": {"internalUserId": "usr_9912"},
        "profile": "incomplete",
    }
    assert seen["missing"] == {"status": 404, "code": "resource/not-found"}
    assert seen["v1"] == {"created": "not_started", "status": "approved", "lastName": "Carter"}
    assert seen["webhook"] == {"verified": True, "tamperedRefused": True, "customerId": True}


def test_a_type_error_fails_the_build(node_modules: Path, tmp_path: Path) -> None:
    """The document's types hold a client to them: a body that is no customer does not compile."""
    work = tmp_path / "typescript"
    shutil.copytree(PACKAGE, work, ignore=shutil.ignore_patterns("node_modules", "dist"))
    (work / "node_modules").symlink_to(node_modules, target_is_directory=True)
    (work / "e2e" / "wrong.ts").write_text(
        'import { createKycrail } from "../src/index.js";\n'
        'const api = createKycrail({ baseUrl: "http://x", apiKey: "k" });\n'
        'await api.PATCH("/v2/customer/{customer_id}", {\n'
        '  params: { path: { customer_id: "c" } },\n'
        "  body: { address: { city: 3 } },\n"
        "});\n"
    )
    done = subprocess.run(
        [str(node_modules / ".bin" / "tsc"), "--noEmit", "-p", "tsconfig.json"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "wrong.ts" in done.stdout
