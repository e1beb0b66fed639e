"""The result cache: hits skip processing, any change misses, bad entries are ignored."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from cli_run import run
from process_counter import Counter

from rewriter.cache import CACHE_DIR_NAME, KEEP_OTHER_BUILDS, RESULTS_NAME, open_cache
from rewriter.files import Mode, process_file
from rewriter.pipeline import process_source
from rewriter.settings import Settings

GRAPH = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x={x}")\n    return x\n'
UNSAFE = 'import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    print(f"x {x:.3f}")\n    return x\n'
CLEAN_GRAPH = "import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    return x + 1\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "graph.py").write_text(GRAPH)
    (tmp_path / "unsafe.py").write_text(UNSAFE)
    (tmp_path / "clean.py").write_text(CLEAN_GRAPH)
    (tmp_path / "plain.py").write_text("x = 1\n")
    return tmp_path


def test_second_run_is_served_from_the_cache(project: Path, capsys, monkeypatch) -> None:
    counter = Counter(monkeypatch)
    first = run(["check", "--jobs", "1", "."], capsys)
    assert sorted(counter.calls) == ["clean.py", "graph.py", "unsafe.py"]  # plain.py: prefiltered
    assert (project / CACHE_DIR_NAME / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (project / CACHE_DIR_NAME / "CACHEDIR.TAG").is_file()
    counter.calls.clear()
    second = run(["check", "--jobs", "1", "."], capsys)
    assert counter.calls == []
    assert second == first and first[0] == 1 and "graph.py:6:5: AG001" in first[1]


def test_cached_results_equal_fresh_ones_in_every_format(project: Path, capsys) -> None:
    for args in (["--output-format", "json"], ["--diff"], ["--unsafe-fixes", "--diff"]):
        fresh = run(["check", "--no-cache", *args, "."], capsys)
        run(["check", *args, "."], capsys)
        cached = run(["check", *args, "."], capsys)
        assert cached == fresh, args


def test_an_edited_file_misses(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--jobs", "1", "."], capsys)
    counter = Counter(monkeypatch)
    (project / "clean.py").write_text(CLEAN_GRAPH.replace("return x + 1", "print(x)\n    return x + 1"))
    code, out, _ = run(["check", "--jobs", "1", "."], capsys)
    assert counter.calls == ["clean.py"]
    assert "clean.py:6:5: AG001" in out


def test_other_settings_miss(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--jobs", "1", "."], capsys)
    counter = Counter(monkeypatch)
    code, out, _ = run(["check", "--jobs", "1", "--unsafe-fixes", "."], capsys)
    assert sorted(counter.calls) == ["clean.py", "graph.py", "unsafe.py"]
    assert "unsafe.py:6:5: AG001" in out and "2 fixable with" in out


def test_no_cache_neither_reads_nor_writes(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--no-cache", "."], capsys)
    assert not (project / CACHE_DIR_NAME).exists()
    run(["check", "."], capsys)
    counter = Counter(monkeypatch)
    run(["check", "--no-cache", "--jobs", "1", "."], capsys)
    assert len(counter.calls) == 3


def test_cache_lives_beside_the_configuration(tmp_path: Path, capsys, monkeypatch) -> None:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.tfrewrite]\n")
    (root / "src" / "graph.py").write_text(GRAPH)
    monkeypatch.chdir(root / "src")
    run(["check", "graph.py"], capsys)
    assert (root / CACHE_DIR_NAME).is_dir() and not (root / "src" / CACHE_DIR_NAME).exists()
    run(["check", "--cache-dir", str(tmp_path / "elsewhere"), "graph.py"], capsys)
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file()


def test_fix_skips_clean_cached_files_and_really_fixes_cached_fixable_ones(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--jobs", "1", "."], capsys)  # caches all three, graph.py with a fix
    counter = Counter(monkeypatch)
    code, out, _ = run(["check", "--fix", "--jobs", "1", "."], capsys)
    assert counter.calls == ["graph.py"]  # clean.py and unsafe.py have nothing to write
    assert "tf.print(" in (project / "graph.py").read_text()
    assert "1 fixed, 1 remaining" in out
    counter.calls.clear()
    code, out, _ = run(["check", "--jobs", "1", "."], capsys)
    assert counter.calls == ["graph.py"]  # new content: a miss
    assert "unsafe.py:6:5: AG001" in out and "graph.py" not in out


def test_fix_after_a_revert_uses_the_findings_of_the_file_as_read(project: Path, capsys) -> None:
    original = (project / "graph.py").read_text()
    run(["check", "--fix", "."], capsys)
    (project / "graph.py").write_text(original)  # e.g. `git checkout` after a fix
    assert run(["check", "."], capsys) == run(["check", "--no-cache", "."], capsys)


def test_corrupt_or_foreign_entries_are_misses(project: Path, capsys, monkeypatch) -> None:
    fresh = run(["check", "--jobs", "1", "."], capsys)
    entries = sorted((project / CACHE_DIR_NAME).glob("*/??/*.json"))  # results, not known_files
    assert len(entries) == 3
    bad_contents = [
        b"",
        b"{not json",
        b"[]",
        b'{"format": 1}',
        json.dumps(
            {"format": 1, "diagnostics": [{"code": 5}], "fixed": None, "remaining": None, "fixed_count": 0}
        ).encode(),
        b"\xff\xfe",
    ]
    for entry, content in zip(entries * 2, bad_contents):
        entry.write_bytes(content)
    (results,) = (project / CACHE_DIR_NAME).glob(f"*/{RESULTS_NAME}")
    results.unlink()  # else it serves the entries without their files
    counter = Counter(monkeypatch)
    assert run(["check", "--jobs", "1", "."], capsys) == fresh
    assert len(counter.calls) == 3
    counter.calls.clear()
    assert run(["check", "--jobs", "1", "."], capsys) == fresh  # rewritten, good again
    assert counter.calls == []


def test_unwritable_cache_is_silently_skipped(project: Path, capsys) -> None:
    (project / "blocker").write_text("a file where the cache folder should be")
    fresh = run(["check", "--no-cache", "."], capsys)
    assert run(["check", "--cache-dir", str(project / "blocker" / "cache"), "."], capsys) == fresh


def test_cache_folder_is_never_linted(project: Path, capsys) -> None:
    run(["check", "."], capsys)
    (project / CACHE_DIR_NAME / "stray.py").write_text(GRAPH)
    code, out, _ = run(["check", "."], capsys)
    assert CACHE_DIR_NAME not in out


def test_concurrent_writers_and_readers_see_whole_entries(tmp_path: Path) -> None:
    cache = open_cache(str(tmp_path / CACHE_DIR_NAME), Settings().cache_key())
    report = process_source(GRAPH, Settings(), "graph.py")
    key = cache.key("graph.py", GRAPH.encode())
    seen: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(50):
                cache.put(key, GRAPH, report)
                seen.append(cache.get(key, GRAPH))
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(r == report for r in seen)
    assert not [p for p in (tmp_path / CACHE_DIR_NAME).rglob(".entry.*")]  # no temporaries left


def test_process_file_with_cache_matches_without(project: Path) -> None:
    cache = open_cache(str(project / CACHE_DIR_NAME), Settings().cache_key())
    for name in ("graph.py", "unsafe.py", "clean.py", "plain.py"):
        for mode in (Mode.CHECK, Mode.DIFF):
            fresh = process_file(name, Settings(), mode)
            process_file(name, Settings(), mode, cache=cache)
            assert process_file(name, Settings(), mode, cache=cache) == fresh


def test_old_builds_and_settings_are_pruned(project: Path, capsys) -> None:
    root = project / CACHE_DIR_NAME
    for number in range(8):
        stale = root / f"old{number}"
        stale.mkdir(parents=True)
        (stale / "entry.json").write_text("{}")
        os.utime(stale, (number, number))  # old0 is the least recently used
    run(["check", "."], capsys)
    folders = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert len(folders) == 1 + KEEP_OTHER_BUILDS
    assert [f for f in folders if f.startswith("old")] == [f"old{n}" for n in range(8 - KEEP_OTHER_BUILDS, 8)]


def test_check_computes_findings_only_and_a_diff_after_it_still_has_the_fix(project: Path, capsys, monkeypatch) -> None:
    counter = Counter(monkeypatch)
    code, out, _ = run(["check", "--jobs", "1", "."], capsys)
    assert counter.applied == [False, False, False]  # printing findings needs no fixed text
    assert "[*] 1 fixable with `--fix`." in out
    counter.applied.clear()
    code, out, _ = run(["check", "--diff", "--jobs", "1", "."], capsys)
    assert counter.applied == [True]  # graph.py's entry holds no fixed text; the others have nothing to fix
    assert '+    tf.print(f"x={x}")' in out or "+    tf.print(" in out


def test_json_findings_carry_the_import_removal_that_only_applying_the_fixes_finds(tmp_path: Path, capsys) -> None:
    source = (
        "import numpy as np\nimport tensorflow as tf\n\n\n@tf.function\ndef f(x):\n"
        "    noise = np.random.normal(size=(3,))\n    return x + noise\n"
    )
    (tmp_path / "draw.py").write_text(source)
    code, out, _ = run(
        ["check", "--no-cache", "--unsafe-fixes", "--output-format", "json", str(tmp_path / "draw.py")], capsys
    )
    (finding,) = json.loads(out)
    assert finding["fix"] is not None
    assert any(e["content"] == "" and e["location"]["row"] == 1 for e in finding["fix"]["edits"])


def test_a_check_with_a_report_applies_the_fixes_to_say_what_would_change(project: Path, capsys) -> None:
    run(["check", "--jobs", "1", "--report", "report.json", "."], capsys)
    report = json.loads((project / "report.json").read_text())
    changed = {entry["path"]: entry["changed"] for entry in report["files"]}
    assert [finding["code"] for finding in changed["graph.py"]] == ["AG001"]


def test_findings_only_report_matches_the_full_one() -> None:
    full = process_source(GRAPH, Settings())
    findings_only = process_source(GRAPH, Settings(), apply_fixes=False)
    assert findings_only.diagnostics == full.diagnostics
    assert findings_only.fixed == GRAPH and not findings_only.fixes_applied
    assert full.fixed != GRAPH and full.fixes_applied


def entry_files(project: Path) -> list[Path]:
    return sorted((project / CACHE_DIR_NAME).glob("*/??/*.json"))


def results_file(project: Path) -> Path:
    (results,) = (project / CACHE_DIR_NAME).glob(f"*/{RESULTS_NAME}")
    return results


def test_a_warm_run_opens_no_entry_file(project: Path, capsys, monkeypatch) -> None:
    first = run(["check", "--jobs", "1", "."], capsys)
    for entry in entry_files(project):
        entry.unlink()  # results.json alone must serve
    counter = Counter(monkeypatch)
    assert run(["check", "--jobs", "1", "."], capsys) == first
    assert counter.calls == []
    assert entry_files(project) == []  # and nothing was stored again


def test_a_corrupt_results_file_is_a_miss_of_everything(project: Path, capsys, monkeypatch) -> None:
    fresh = run(["check", "--no-cache", "--jobs", "1", "."], capsys)
    run(["check", "--jobs", "1", "."], capsys)
    results = results_file(project)
    good = json.loads(results.read_text())
    assert sorted(good["results"]) == ["clean.py", "graph.py", "unsafe.py"]
    wrong_shapes = []
    for record in ([], ["key"], [good["results"]["graph.py"][0], {"diagnostics": [{"code": 5}]}], "text"):
        wrong_shapes.append(json.dumps({**good, "results": {**good["results"], "graph.py": record}}))
    counter = Counter(monkeypatch)
    for content in ("", "{not json", "[]", '{"format": 3}', json.dumps({**good, "format": 1}), *wrong_shapes):
        results.write_text(content)
        for entry in entry_files(project):
            entry.unlink()  # so that a miss is processed again
        assert run(["check", "--jobs", "1", "."], capsys) == fresh, content
        assert counter.take() == (["graph.py"] if content in wrong_shapes else ["clean.py", "graph.py", "unsafe.py"])
    assert json.loads(results.read_text()) == good  # written whole again


def test_an_edited_file_replaces_its_entry_in_the_results_file(project: Path, capsys, monkeypatch) -> None:
    run(["check", "--jobs", "1", "."], capsys)
    before = json.loads(results_file(project).read_text())["results"]
    counter = Counter(monkeypatch)
    (project / "clean.py").write_text(CLEAN_GRAPH.replace("return x + 1", "print(x)\n    return x + 1"))
    edited = run(["check", "--jobs", "1", "."], capsys)
    assert counter.take() == ["clean.py"]
    after = json.loads(results_file(project).read_text())["results"]
    assert sorted(after) == ["clean.py", "graph.py", "unsafe.py"]
    assert after["clean.py"][0] != before["clean.py"][0]
    assert after["graph.py"] == before["graph.py"] and after["unsafe.py"] == before["unsafe.py"]
    assert run(["check", "--jobs", "1", "."], capsys) == edited and counter.take() == []


def test_runs_with_other_settings_keep_their_own_results(project: Path, capsys, monkeypatch) -> None:
    plain = run(["check", "--jobs", "1", "."], capsys)
    unsafe = run(["check", "--jobs", "1", "--unsafe-fixes", "."], capsys)
    assert plain != unsafe
    assert len(list((project / CACHE_DIR_NAME).glob(f"*/{RESULTS_NAME}"))) == 2
    counter = Counter(monkeypatch)
    assert run(["check", "--jobs", "1", "."], capsys) == plain
    assert run(["check", "--jobs", "1", "--unsafe-fixes", "."], capsys) == unsafe
    assert counter.calls == []


def test_results_of_files_a_run_did_not_look_at_are_kept_within_bounds(project: Path, capsys, monkeypatch) -> None:
    import rewriter.cache

    run(["check", "."], capsys)
    (project / "graph.py").write_text(GRAPH.replace("x={x}", "x is {x}"))  # something new to store
    run(["check", "graph.py"], capsys)
    assert sorted(json.loads(results_file(project).read_text())["results"]) == ["clean.py", "graph.py", "unsafe.py"]
    monkeypatch.setattr(rewriter.cache, "KEEP_RESULTS", 1)
    (project / "graph.py").write_text(GRAPH)
    run(["check", "graph.py"], capsys)
    assert list(json.loads(results_file(project).read_text())["results"]) == ["graph.py"]


def test_entries_stored_by_workers_join_the_results_file(project: Path, capsys, monkeypatch) -> None:
    for number in range(16):
        (project / f"graph_{number}.py").write_text(GRAPH)
    # A text check stores findings only; JSON needs the fixes applied, in the workers.
    run(["check", "--jobs", "2", "."], capsys)
    first = run(["check", "--jobs", "2", "--output-format", "json", "."], capsys)
    assert "graph_15.py" in json.loads(results_file(project).read_text())["results"]
    for entry in entry_files(project):
        entry.unlink()
    counter = Counter(monkeypatch)
    assert run(["check", "--jobs", "1", "--output-format", "json", "."], capsys) == first
    assert counter.calls == []


def test_a_cache_sent_to_a_worker_carries_its_folder_only(project: Path, capsys) -> None:
    import pickle

    run(["check", "."], capsys)
    cache = open_cache(str(project / CACHE_DIR_NAME), Settings().cache_key())
    key = cache.key("graph.py", GRAPH.encode())
    assert cache.get(key, GRAPH, "graph.py") is not None  # results.json is read now
    copy = pickle.loads(pickle.dumps(cache))
    assert (copy.root, copy.directory) == (cache.root, cache.directory)
    assert copy.get(key, GRAPH, "graph.py") == cache.get(key, GRAPH, "graph.py")
