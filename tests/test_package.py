"""The package's shape: no import cycle, no module reaching into another's private names, and the
light parts (namespaces, network pages, the query list) never loading the NLP stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

from tests.conftest import ROOT


def _modules(root: Path = ROOT) -> dict[str, Path]:
    """The modules of the package ``graph`` under ``root``, by dotted name."""
    found = {}
    for path in sorted((root / "graph").rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(modules: dict[str, Path]) -> tuple[nx.DiGraph, list[str]]:
    """Every import between the package's modules (also those inside functions), and each use of
    another module's underscore name (imported, or read as an attribute of an imported module)."""
    graph, private = nx.DiGraph(), []
    for name, path in modules.items():
        graph.add_node(name)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        bound: dict[str, str] = {}  # local name -> module of the package it stands for
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                target = node.module or ""
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0]
                    target = f"{base}.{target}" if target else base
                if not target.startswith("graph"):
                    continue
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    if full in modules:
                        graph.add_edge(name, full)
                        bound[alias.asname or alias.name] = full
                    elif target in modules:
                        graph.add_edge(name, target)
                        if alias.name.startswith("_"):
                            private.append(f"{name} imports {full}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules:
                        graph.add_edge(name, alias.name)
                        if alias.asname:
                            bound[alias.asname] = alias.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                private.append(f"{name} reads {bound[node.value.id]}.{node.attr}")
    return graph, private


def test_the_checker_sees_imports_cycles_and_private_names(tmp_path):
    # the checker itself, on a package made for it: a cycle and both kinds of private use are found
    fake = tmp_path / "graph"
    (fake / "sub").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "sub" / "__init__.py").write_text("")
    (fake / "a.py").write_text("from graph.sub import b\n")
    (fake / "sub" / "b.py").write_text("def f():\n    from graph.a import _hidden\n")
    (fake / "c.py").write_text("from graph.sub import b\nb._secret()\n")
    graph, private = _imports(_modules(tmp_path))
    assert list(nx.simple_cycles(graph)) in ([["graph.a", "graph.sub.b"]], [["graph.sub.b", "graph.a"]])
    assert sorted(private) == ["graph.c reads graph.sub.b._secret", "graph.sub.b imports graph.a._hidden"]


def test_the_package_has_no_import_cycle():
    graph, _ = _imports(_modules())
    assert graph.number_of_edges() > 50  # the walk found the package's real imports
    assert list(nx.simple_cycles(graph)) == []


def test_no_module_uses_another_modules_private_names():
    _, private = _imports(_modules())
    assert private == []


def _loaded_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return {name.split(".")[0] for name in done.stdout.split()}


def test_network_pages_and_namespaces_load_no_spacy():
    loaded = _loaded_after(
        "import graph.namespaces, graph.network.projection, graph.network.pages, graph.network.outputs"
    )
    assert "rdflib" in loaded and "networkx" in loaded
    assert "spacy" not in loaded


def test_listing_the_queries_loads_no_spacy():
    code = (
        "import contextlib, io\n"
        "from graph.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    main.main(['query', '--list'])\n"
        "assert 'country-flows' in out.getvalue(), out.getvalue()\n"
    )
    assert "spacy" not in _loaded_after(code)
