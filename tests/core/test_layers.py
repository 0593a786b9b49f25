"""Dependencies point down: rules < core < accounts/audit < clients < domain apps < api/demo (docs/architecture.md).

There is no import-linter in the project, so this test reads every module under src/openinburgering (migrations
left out: they run with historical models) with ``ast`` and checks the imports Python executes: at module level
and inside functions. Imports under ``if TYPE_CHECKING:`` are left out (they never run) and so are model references
by string (``"accounts.Gemeente"`` in a ForeignKey). The two cycles that were removed must not come back: accounts
importing clients (``accounts.selectors`` -> ``clients.selectors``) and core importing accounts (``core.views`` ->
``accounts``)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "openinburgering"
FOUNDATION = frozenset({"rules", "core", "accounts", "audit"})


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. openinburgering.accounts.selectors
    target: str  # the imported module, e.g. openinburgering.clients.selectors
    line: int

    @property
    def app(self) -> str:
        return self.module.split(".")[1]

    @property
    def target_app(self) -> str:
        parts = self.target.split(".")
        return parts[1] if parts[0] == "openinburgering" and len(parts) > 1 else ""


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level == 0:
        base = node.module or ""
    else:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, node.module] if node.module else package)
    # "from . import selectors" imports a submodule: name it, so its app is known.
    return list(dict.fromkeys(f"{base}.{alias.name}" if node.module is None else base for alias in node.names))


def _imports_of(source: str, module: str, *, is_package: bool = False) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(module, alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.extend(Import(module, target, node.lineno) for target in _resolve(module, is_package, node))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def _all_imports() -> list[Import]:
    return [
        found
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.relative_to(SRC).parts
        for found in _imports_of(
            path.read_text(encoding="utf-8"), _module_name(path), is_package=path.name == "__init__.py"
        )
    ]


IMPORTS = _all_imports()


def _violations(app: str, allowed: frozenset[str]) -> list[str]:
    return [
        f"{found.module}:{found.line} imports {found.target}"
        for found in IMPORTS
        if found.app == app and found.target_app and found.target_app not in allowed | {app}
    ]


def test_the_reader_sees_imports_inside_functions_and_skips_type_checking_blocks():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from openinburgering.clients.models import ClientFile\n"
        "def later():\n    from ..accounts import selectors\n    import openinburgering.audit.services\n"
        "from . import dates\n"
    )
    found = _imports_of(source, "openinburgering.core.example")
    assert [(i.target, i.target_app, i.line) for i in found] == [
        ("typing", "", 1),
        ("openinburgering.accounts", "accounts", 5),
        ("openinburgering.audit.services", "audit", 6),
        ("openinburgering.core.dates", "core", 7),
    ]


def test_the_reader_finds_the_apps_it_checks():
    apps = {found.app for found in IMPORTS}
    assert FOUNDATION | {"clients", "api", "demo"} <= apps


def test_rules_import_no_django_and_no_other_app():
    outside = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in IMPORTS
        if found.app == "rules" and (found.target.split(".")[0] == "django" or found.target_app not in ("", "rules"))
    ]
    assert outside == []


def test_core_imports_no_other_app():
    """core is below everything: core.views -> accounts made a cycle (accounts imports core)."""
    assert _violations("core", frozenset({"rules"})) == []


@pytest.mark.parametrize("app", ["accounts", "audit"])
def test_accounts_and_audit_import_nothing_above_the_foundation(app):
    """accounts.selectors -> clients.selectors made a cycle (clients imports accounts)."""
    assert _violations(app, FOUNDATION) == []
