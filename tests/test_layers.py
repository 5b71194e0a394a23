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
    "grants",
    "hospital",
    "inbox",
    "intake",
    "municipalities",
    "national",
    "nationallogin",
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


# --- Views stay thin: no ORM in a views module ----------------------------------------------

# Calls that write through the ORM (on a model, a queryset or a related manager).
ORM_WRITES = {
    "bulk_create",
    "bulk_update",
    "clear",
    "create",
    "delete",
    "get_or_create",
    "remove",
    "save",
    "set",
    "update",
    "update_or_create",
    "add",
}
# Receivers with a method of the same name that is not the ORM, and what they are.
NOT_ORM = {
    "book": "an openpyxl workbook (book.save(buffer))",
    "cache": "Django's cache (cache.set)",
    "context": "the template context, a dict (context.update)",
}


def _orm_in_views(path: Path) -> list[str]:
    found = []
    where = path.relative_to(ROOT)
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{where}:{node.lineno} .objects")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ORM_WRITES:
            receiver = func.value.id if isinstance(func.value, ast.Name) else None
            if receiver not in NOT_ORM:
                found.append(f"{where}:{node.lineno} {ast.unparse(func)}()")
        if (
            isinstance(func, ast.Name)
            and func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id[:1].isupper()
        ):
            found.append(f"{where}:{node.lineno} {func.id}({node.args[0].id}, …)")
    return found


def _views_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in [*(ROOT / app).glob("views.py"), *(ROOT / app).glob("views/*.py")]
    )


def test_views_do_not_query_or_write_through_the_orm():
    """Queries live in the app's selectors, writes in its services (views call them)."""
    found = [hit for path in _views_modules() for hit in _orm_in_views(path)]
    assert found == [], "ORM i views; bruk selectors/services:\n" + "\n".join(found)


def test_the_views_check_finds_orm_use(tmp_path, monkeypatch):
    """The check above is not vacuous: it sees each kind of ORM use it forbids."""
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    views = tmp_path / "views.py"
    views.write_text(
        "def a(request):\n"
        "    Trainee.objects.filter(pk=1)\n"
        "    trainee.save()\n"
        "    group.members.add(trainee)\n"
        "    get_object_or_404(Office, slug='vest')\n"
        "    context.update(x=1)\n"
        "    book.save(buffer)\n",
        "utf-8",
    )
    assert sorted(hit.split(" ", 1)[1] for hit in _orm_in_views(views)) == [
        ".objects",
        "get_object_or_404(Office, …)",
        "group.members.add()",
        "trainee.save()",
    ]
