"""The ``sphinx-quotefig`` command line: commands, and extras named when missing."""

import subprocess
import sys


def run_cli(*args: str, block: str | None = None) -> subprocess.CompletedProcess:
    prelude = f"import sys; sys.modules[{block!r}] = None; " if block else "import sys; "
    code = prelude + "from sphinx_quotefig.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)


def test_convert_without_its_extra_names_the_extra_to_install():
    result = run_cli("convert", "post.md", block="bs4")
    assert result.returncode == 2
    assert "pip install 'sphinx-quotefig[convert]'" in result.stderr
    assert "bs4" in result.stderr


def test_unknown_command_lists_the_commands():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "unknown command 'frobnicate'" in result.stderr
    assert "convert" in result.stderr


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "convert" in result.stdout


def test_python_m_runs_a_command():
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_quotefig", "convert", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "INPUT" in result.stdout


def test_the_build_does_not_import_converts_dependencies():
    code = (
        "import sys; import sphinx_quotefig, sphinx_quotefig.domain; "
        "print(sorted(m for m in ('bs4', 'markdownify', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
