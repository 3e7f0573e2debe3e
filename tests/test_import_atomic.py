"""Imports are all or nothing (issue 19, item 6): a failure while writing leaves the corpus as it was.

``import … --force`` on a nearly full disk used to end with "erreur interne (OSError 28)",
some tables rewritten and others not (a half import that passes ``check``), and no word of
the backup. Each failure here happens at another step: while the new tables are written,
while the old ones are kept, between two renames, and during the restoration itself.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import snapshot
from test_batch_safety import tmpfs

from mesra import MesraError, check_corpus
from mesra.cli import main
from mesra.importers import apply as import_apply
from mesra.importers.gogocarto import import_gogocarto

FIX = Path(__file__).parent / "fixtures"
CARTE = FIX / "gogocarto" / "carte-exemple.json"
ROOT = Path(__file__).resolve().parent.parent


def _disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _fail_on_call(real, n: int, exc: OSError):
    """``real``, except that its ``n``-th call (from 1) raises ``exc``."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == n:
            raise exc
        return real(*args, **kwargs)

    return wrapper


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_a_full_disk_while_staging_changes_nothing_and_says_so_in_french(mini_dir, monkeypatch):
    before = snapshot(mini_dir)
    real = import_apply._stage
    monkeypatch.setattr(import_apply, "_stage", _fail_on_call(real, 2, OSError(errno.ENOSPC, "No space left")))
    with pytest.raises(MesraError) as err:
        import_gogocarto(CARTE, mini_dir, force=True)
    message = str(err.value)
    assert "le disque est plein" in message and "OSError 28" in message
    assert "Rien n'a changé" in message and "Libérez de la place" in message
    assert snapshot(mini_dir) == before  # no table, no temporary file, no empty backup folder
    assert not (mini_dir / import_apply.BACKUP_DIR).exists()


def test_a_failure_between_two_renames_puts_back_the_tables_already_replaced(mini_dir, monkeypatch):
    before = snapshot(mini_dir)
    monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, 2, OSError(errno.ENOSPC, "No space left")))
    with pytest.raises(MesraError) as err:
        import_gogocarto(CARTE, mini_dir, force=True)
    monkeypatch.undo()
    message = str(err.value)
    [backup] = (mini_dir / import_apply.BACKUP_DIR).iterdir()
    assert f"sauvegarde {backup}" in message and "remises dans leur état d'avant l'import" in message
    after = snapshot(mini_dir)
    assert {k: v for k, v in after.items() if not k.startswith(import_apply.BACKUP_DIR)} == before
    # the backup holds the tables as they were before the import
    for name in ("acteurs.csv", "sources.csv"):
        assert (backup / name).read_bytes() == before[name]
    assert check_corpus(mini_dir) == []
    assert _leftovers(mini_dir) == []


def test_a_restoration_that_fails_too_names_the_tables_and_the_backup(mini_dir, monkeypatch):
    real = os.replace
    calls = []

    def replace(src, dst, *args, **kwargs):
        calls.append(Path(dst).name)
        if len(calls) >= 2:  # the second rename fails, and so does every restoration
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(MesraError) as err:
        import_gogocarto(CARTE, mini_dir, force=True)
    monkeypatch.undo()
    message = str(err.value)
    [backup] = (mini_dir / import_apply.BACKUP_DIR).iterdir()
    first = calls[0]  # the one table replaced before the failure
    assert "à moitié importé" in message and first in message
    assert f"Recopiez-les depuis la sauvegarde {backup}" in message
    assert (backup / first).exists()


def test_the_command_line_says_what_happened_and_where_the_backup_is(mini_dir, monkeypatch, capsys):
    monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, 2, OSError(errno.ENOSPC, "No space left")))
    code = main(["import", "gogocarto", str(CARTE), "--out", str(mini_dir), "--force"])
    monkeypatch.undo()
    err = capsys.readouterr().err
    [backup] = (mini_dir / import_apply.BACKUP_DIR).iterdir()
    assert code == 1
    assert "erreur interne" not in err and "le disque est plein" in err and str(backup) in err


def test_a_successful_import_replaces_every_table_and_leaves_no_temporary_file(mini_dir):
    before = snapshot(mini_dir)
    report = import_gogocarto(CARTE, mini_dir, force=True)
    assert report.applied and report.backup is not None
    assert _leftovers(mini_dir) == []
    assert check_corpus(mini_dir) == []
    replaced = sorted(p.name for p in report.written if p.name in before)
    assert "acteurs.csv" in replaced
    assert sorted(p.name for p in report.backup.iterdir()) == replaced
    for name in replaced:
        assert (report.backup / name).read_bytes() == before[name] != (mini_dir / name).read_bytes()


def test_a_really_full_disk_through_the_command_line(mini_dir, tmp_path):
    """A real small disk (tmpfs, root only), filled up to a page: the command line, in a subprocess."""
    with tmpfs(tmp_path / "cle-usb", "size=2m") as disk:
        corpus = disk / "corpus"
        shutil.copytree(mini_dir, corpus)
        before = snapshot(corpus)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        with open(disk / "remplissage", "wb") as fh:
            fh.write(b"\0" * max(0, free - 4096))  # room for one page: the first table staged, not the next
        proc = subprocess.run(
            [sys.executable, "-m", "mesra", "import", "gogocarto", str(CARTE), "--out", str(corpus), "--force"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert "erreur interne" not in proc.stderr and "le disque est plein" in proc.stderr, proc.stderr
        assert snapshot(corpus) == before
        (disk / "remplissage").unlink()
        assert main(["check", str(corpus)]) == 0
