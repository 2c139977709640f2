"""The package's imports go one way, read from its source: no cycle, no
import hidden inside a function, each module importing only from its own
layer or the layers below (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "sphinx_quotefig"

#: Each module's layer, lowest first. A module may import from its layer
#: and the layers below it.
LAYERS = {
    "foundation": {"_compat", "anchors", "bibliography", "config", "diagnostics", "locators", "nodes", "quotemarks", "references", "sources", "suggestions", "urls"},
    # A source's own text, and finding quotations in it.
    "source text": {"extract", "matching", "text_cache"},
    "read side": {"directives", "roles", "transforms", "title_copies"},
    "records": {"records"},
    "domain": {"domain"},
    "listing": {"listing"},
    "renderers": {"describe", "render_nodes", "render_html", "render_json", "writers", "writers.html", "writers.latex", "citations", "reference_style", "coins"},
    "outputs": {
        "fragments", "labels", "pages", "index", "index_page", "json_export", "consistency",
        "quote_check", "quotecheck_builder", "structured_data",
    },
    "extension": {"__init__"},
    # Command-line tools: they use no Sphinx machinery of the package.
    "commands": {"cli", "__main__", "convert", "highlights"},
}
_RANK = {module: rank for rank, modules in enumerate(LAYERS.values()) for module in modules}
#: Subpackages whose modules share the subpackage's layer.
SUBPACKAGES = ("convert",)


def _layered(module: str) -> str | None:
    """The name *module* is placed under in LAYERS: itself, or for a module
    of a subpackage the subpackage; None: not placed."""
    if module in _RANK:
        return module
    top = module.split(".")[0]
    return top if top in SUBPACKAGES else None


def _rank(module: str) -> int:
    return _RANK[_layered(module)]
#: Imports allowed inside a function: optional dependencies only.
OPTIONAL_DEPENDENCIES: set[str] = {"pypdfium2", "pybtex"}


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        name = name.removesuffix(".__init__") or "__init__"
        found[name] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _runtime_imports(name: str, tree: ast.Module) -> set[str]:
    """The package's modules *name* imports when it runs (not for typing)."""
    if name == "__init__":
        package: list[str] = []
    elif name in ("writers", *SUBPACKAGES):  # their __init__.py
        package = [name]
    else:
        package = name.split(".")[:-1]
    targets = set()
    for node in _walk_runtime(tree):
        if not (isinstance(node, ast.ImportFrom) and node.level):
            continue
        base = package[: len(package) - (node.level - 1)]
        module = [*base, *(node.module.split(".") if node.module else [])]
        if module:
            targets.add(".".join(module))
        # `from . import nodes`, `from .writers import html`: modules too.
        targets.update(".".join([*module, alias.name]) for alias in node.names)
    return {target for target in targets if _layered(target) is not None}


def _walk_runtime(tree: ast.AST):
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def test_every_module_has_a_layer():
    assert sorted(name for name in _modules() if _layered(name) is None) == []


def test_imports_point_down_the_layers():
    upward = []
    for name, tree in _modules().items():
        for target in _runtime_imports(name, tree):
            if _rank(target) > _rank(name):
                upward.append(f"{name} ({_layer(name)}) imports {target} ({_layer(target)})")
    assert upward == []


def test_the_package_has_no_import_cycle():
    graph = {name: _runtime_imports(name, tree) - {name} for name, tree in _modules().items()}
    visiting, done, cycles = set(), set(), []

    def visit(module: str, path: list[str]) -> None:
        if module in visiting:
            cycles.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        visiting.add(module)
        for target in sorted(graph.get(module, ())):
            visit(target, [*path, module])
        visiting.discard(module)
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_no_import_is_hidden_inside_a_function():
    hidden = []
    for name, tree in _modules().items():
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    imported = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                    if (imported or "").split(".")[0] not in OPTIONAL_DEPENDENCIES:
                        hidden.append(f"{name}.{function.name}: {ast.unparse(node)}")
    assert hidden == []


def _layer(module: str) -> str:
    return next(layer for layer, modules in LAYERS.items() if _layered(module) in modules)
