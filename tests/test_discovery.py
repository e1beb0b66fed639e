"""File discovery: suffixes, .gitignore files, --files-from, skipped folders, symlink loops."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rewriter.cli import main
from rewriter.discover import discover, read_path_list

GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'


def tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(root: Path, **kwargs) -> list[str]:
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in discover([str(root)], **kwargs).files]


def test_python_files_and_notebooks_are_found_hidden_and_venv_folders_skipped(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "a.py": "",
            "b.ipynb": "{}",
            "c.txt": "",
            "pkg/d.py": "",
            ".ipynb_checkpoints/b-checkpoint.ipynb": "{}",
            ".hidden/e.py": "",
            "venv/lib/f.py": "",
            "env/pyvenv.cfg": "",
            "env/g.py": "",
            "node_modules/h.py": "",
        },
    )
    assert found(tmp_path) == ["a.py", "b.ipynb", "pkg/d.py"]


def test_gitignore_files_nested_negated_and_directory_patterns(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            ".gitignore": "generated/\n*_pb2.py\nscratch*.ipynb\n",
            "keep.py": "",
            "model_pb2.py": "",
            "generated/x.py": "",
            "scratch1.ipynb": "{}",
            "sub/.gitignore": "local.py\n!model_pb2.py\n",
            "sub/local.py": "",
            "sub/model_pb2.py": "",
            "sub/other.py": "",
            "sub/deeper/local.py": "",
            "other/local.py": "",
        },
    )
    assert found(tmp_path) == ["keep.py", "other/local.py", "sub/model_pb2.py", "sub/other.py"]
    everything = found(tmp_path, respect_gitignore=False)
    assert "generated/x.py" in everything and "sub/deeper/local.py" in everything


def test_gitignore_above_the_walked_folder_counts_inside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    tree(
        tmp_path,
        {".gitignore": "/src/skip.py\nbuild_*/\n", "src/skip.py": "", "src/take.py": "", "src/build_x/y.py": ""},
    )
    assert found(tmp_path / "src") == ["take.py"]


def test_gitignore_in_the_cli(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, {".gitignore": "ignored.py\n", "ignored.py": GRAPH})
    assert main(["check", "."]) == 0
    assert main(["check", "--no-respect-gitignore", "."]) == 1
    assert main(["check", "ignored.py"]) == 1  # a file named explicitly is always looked at
    capsys.readouterr()


def test_symlink_loops_end(tmp_path: Path) -> None:
    tree(tmp_path, {"pkg/a.py": ""})
    os.symlink(tmp_path, tmp_path / "pkg" / "loop")  # a link back up the tree
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "self")
    assert found(tmp_path) == ["pkg/a.py"]


def test_read_path_list_lines_and_nul_separated() -> None:
    assert read_path_list(b"a.py\n\nsrc/b.ipynb\r\n") == ["a.py", "src/b.ipynb"]
    assert read_path_list(b"a b.py\0c.py\0") == ["a b.py", "c.py"]


def test_files_from_file_and_stdin(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, {"one.py": GRAPH, "two.py": GRAPH, "three.py": GRAPH, "list.txt": "one.py\ntwo.py\n"})
    assert main(["check", "--files-from", "list.txt"]) == 1
    out = capsys.readouterr().out
    assert "one.py:6:5" in out and "two.py:6:5" in out and "three.py" not in out
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"three.py\0")))
    assert main(["check", "--files-from", "-"]) == 1
    out = capsys.readouterr().out
    assert "three.py:6:5" in out and "one.py" not in out
    (tmp_path / "empty.txt").write_text("")
    assert main(["check", "--files-from", "empty.txt"]) == 0  # an empty list is no files, not "."
    assert main(["check", "--files-from", "missing.txt"]) == 2
    assert "--files-from missing.txt: No such file or directory" in capsys.readouterr().err


def test_files_from_lists_missing_files_as_errors(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, {"one.py": GRAPH, "list.txt": "one.py\ngone.py\n"})
    assert main(["check", "--files-from", "list.txt"]) == 2
    captured = capsys.readouterr()
    assert "gone.py: error: no such file or directory" in captured.err
    assert "one.py:6:5" in captured.out


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_unreadable_gitignore_is_no_error(tmp_path: Path) -> None:
    tree(tmp_path, {".gitignore": "a.py\n", "a.py": "", "b.py": ""})
    (tmp_path / ".gitignore").chmod(0)
    try:
        result = found(tmp_path)
    finally:
        (tmp_path / ".gitignore").chmod(0o644)
    assert "b.py" in result
