"""The apps form layers (pyproject's import-linter contract); nothing dodges it from inside a
function.

import-linter reads imports wherever they stand, so a function-local import that crosses the
layers fails `lint-imports` too; this test also keeps downward imports at the top of the
module, where a reader sees what an app depends on.
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = {
    "accounts",
    "agreements",
    "alis",
    "audit",
    "confirmations",
    "demo",
    "events",
    "goals",
    "municipalities",
    "notifications",
    "offices",
    "plans",
    "positions",
    "records",
    "reports",
    "trainees",
}


def _function_local_imports_of_other_apps(path: Path, app: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.level == 0:
                names = [inner.module or ""]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != app:
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno} {name}")
    return found


def test_no_app_imports_another_app_inside_a_function():
    found = []
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += _function_local_imports_of_other_apps(path, app)
    assert found == [], "Importer øverst i modulen:\n" + "\n".join(found)


def test_every_app_is_in_the_layering_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    assert set(config["root_packages"]) == APPS
    layered = {
        name.strip()
        for layer in config["contracts"][0]["layers"]
        for name in layer.replace(":", "|").split("|")
    }
    assert layered == APPS
    apps_on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"alis"}
    assert apps_on_disk == APPS


def test_layering_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
