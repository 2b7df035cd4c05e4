"""``crossroads migrate FILE...``: rewrite old-format scenario files in the current format.

Each file is converted exactly as the loader converts it on load, rewritten keeping its
comments and layout (see :mod:`game.migration`), checked to load as the same scenario, and
only then replaced (atomically, the original kept as ``FILE.format1.bak``). One line per
file; a file that cannot be read or is not a valid scenario is left alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "migrate"
HELP = (
    "Rewrite scenario files written for an older file format in the current one, keeping "
    "comments and layout."
)
BACKUP_SUFFIX = ".format1.bak"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the files and the --check, --diff and --no-backup options."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="scenario file, or folder scanned for *.yaml"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any file needs migrating (for CI)",
    )
    mode.add_argument(
        "--diff",
        "--dry-run",
        dest="diff",
        action="store_true",
        help="write nothing; print what would change as a unified diff",
    )
    parser.add_argument(
        "--no-backup",
        action="store_true",
        help=f"do not keep the original as FILE{BACKUP_SUFFIX}",
    )


def run(args: argparse.Namespace) -> int:
    """Migrate every file; exit 0 if all are fine, 1 if any failed (or, with --check, is old)."""
    from game.commands.validate import scenario_files
    from game.escaping import terminal

    try:
        import game.migration  # noqa: F401  (ruamel.yaml is needed from here on)
    except ImportError as exc:
        print(
            f"crossroads migrate: cannot run: {terminal(exc)}; reinstall Crossroads",
            file=sys.stderr,
        )
        return 1
    failed = outdated = 0
    for name in args.files:
        files, errors = scenario_files([name]) if Path(name).is_dir() else ([Path(name)], [])
        for error in errors:  # a folder without scenario files
            failed += 1
            print(f"{terminal(name)}: not migrated: {terminal(error)}")
        for path in files:  # a missing file is reported by _one, like an unreadable one
            ok, changed = _one(path, args)
            failed += not ok
            outdated += changed
    return 1 if failed or (args.check and outdated) else 0


def _one(path: Path, args: argparse.Namespace) -> tuple[bool, bool]:
    """Migrate (or check) one file and print its line; returns (no failure, needed migrating)."""
    from engine.loader import ScenarioError
    from engine.scenario_format import CURRENT_FORMAT
    from game.escaping import terminal
    from game.migration import MigrationError, migrate_text

    shown = terminal(path)
    try:
        data, text = _read(path)
        migration = migrate_text(text, str(path), folder=path.parent)
    except ScenarioError as exc:
        problems = exc.problems
        if len(problems) == 1 and not problems[0].line:  # the file itself: missing, too big...
            print(f"{shown}: not migrated: {terminal(problems[0].message)}")
        else:
            n = len(problems)
            print(f"{shown}: not migrated: {n} problem{'s' if n != 1 else ''} to fix first:")
            print("\n".join(terminal(p) for p in problems))
        return False, False
    except (MigrationError, OSError) as exc:
        print(f"{shown}: not migrated: {terminal(_reason(exc))}")
        return False, False
    except Exception as exc:  # a bug must still not show a traceback
        print(f"{shown}: not migrated: internal error ({type(exc).__name__}); please report it")
        return False, False
    if migration.text is None:
        print(f"{shown}: already format {CURRENT_FORMAT}, unchanged")
        return True, False
    what = f"format {CURRENT_FORMAT} ({'; '.join(migration.changes)})"
    if args.check:
        print(f"{shown}: needs migrating to {terminal(what)}")
        return True, True
    if args.diff:
        _print_diff(path, text, migration.text)
        print(f"{shown}: would be migrated to {terminal(what)}")
        return True, True
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    try:
        backup = _write(path, data, bom + migration.text.encode("utf-8"), not args.no_backup)
    except OSError as exc:
        print(f"{shown}: not migrated: cannot write: {terminal(_reason(exc))}")
        return False, True
    where = backup and (str(backup) if path.is_symlink() else backup.name)  # next to the target
    kept = f"; the original is in {terminal(where)}" if where else ""
    print(f"{shown}: migrated to {terminal(what)}{kept}")
    return True, True


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes and text; what the loader refuses (size, type, encoding) is refused
    in the loader's words, as a :class:`~engine.loader.ScenarioError`."""
    from engine.loader import MAX_BYTES, load_scenario
    from game.files import read_bytes

    try:
        data = read_bytes(path, MAX_BYTES)  # never blocks on a pipe or reads a device
        return data, data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        load_scenario(path)  # raises the loader's problem: too big, no such file, bad byte...
        raise  # the file changed in between: reported as it is


def _reason(exc: BaseException) -> str:
    from game.files import os_reason

    return os_reason(exc) if isinstance(exc, OSError) else str(exc)


def _print_diff(path: Path, old: str, new: str) -> None:
    import difflib

    from game.escaping import terminal

    name = str(path)
    lines = difflib.unified_diff(
        old.replace("\r\n", "\n").splitlines(),
        new.replace("\r\n", "\n").splitlines(),
        f"{name} (format 1)",
        f"{name} (migrated)",
        lineterm="",
    )
    for line in lines:
        print(terminal(line))


def _write(path: Path, original: bytes, new: bytes, backup: bool) -> Path | None:
    """Replace the file at ``path`` (a link's target) atomically; keep a backup unless told.

    Returns the backup's path. An existing backup with other content is not overwritten: the
    new one gets a number (``FILE.format1.2.bak``).
    """
    import os

    from game.saves import write_atomic

    target = Path(os.path.realpath(path))
    kept = None
    if backup:
        kept = _backup_path(target, original)
        write_atomic(kept, original, like=target)
    write_atomic(target, new, like=target)
    return kept


def _backup_path(target: Path, original: bytes) -> Path:
    """``FILE.format1.bak``, or the first numbered one that is free or holds the same bytes."""
    from game.files import read_bytes

    stem = target.name
    for n in range(1, 100):
        number = "" if n == 1 else f".{n}"
        candidate = target.with_name(f"{stem}{BACKUP_SUFFIX.removesuffix('.bak')}{number}.bak")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        try:
            if read_bytes(candidate, len(original), follow=False) == original:
                return candidate
        except OSError:  # a folder, a link, a bigger file...: not ours to overwrite
            continue
    raise FileExistsError(f"{stem} has 99 backups already; remove some")
