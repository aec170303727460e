"""Output files: checked before training, written whole or not at all.

Running as root, or on read-only and virtual file systems, os.access says
yes where creating a file still fails; the checks here really create a
directory and a file, then remove what they made.
"""

import contextlib
import fcntl
import os
import re
import stat
import sys
import tempfile
import time

from support import interrupts

_temporaries = set()  # the temporary files save() is writing right now
_held = []  # descriptors of the directories this process has locked
STARTED = time.time()  # about when this process started
# The stem of save()'s temporary files: ".t" and 8 of mkstemp's letters.
TEMPORARY = re.compile(r"\.t[a-z0-9_]{8}")


def _remove_temporaries():
    for temporary in list(_temporaries):
        if os.path.exists(temporary):
            os.remove(temporary)


interrupts.on_abort(_remove_temporaries)  # a third signal leaves none


def check_writable_file(parser, flag, path, formats=None):
    """Refuse (exit 2) a file path that cannot be written, leaving none.

    `formats`: the endings allowed (default: the picture formats
    matplotlib can save).
    """
    if formats is None:
        formats = picture_formats()
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if suffix not in formats:
        parser.error(
            f"argument {flag}: {path!r} must end in one of "
            f".{', .'.join(formats)}"
        )
    if os.path.isdir(path):
        parser.error(f"argument {flag}: {path!r} is a directory, not a file")
    if os.path.exists(path) and not stat.S_ISREG(os.stat(path).st_mode):
        # A FIFO or a device: opening it could wait forever.
        parser.error(f"argument {flag}: {path!r} is not a regular file")
    existed = os.path.exists(path)
    try:
        # Append mode changes nothing in a file that exists.
        with open(path, "ab"):
            pass
        probe_directory(os.path.dirname(path) or ".")
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        parser.error(
            f"argument {flag}: cannot write {path!r}: {reason(error)}"
        )
    finally:
        if not existed and os.path.isfile(path):
            os.remove(path)


def picture_formats():
    """The picture formats matplotlib saves without an outside program
    (pgf needs a TeX installation: offered only if one is found)."""
    import shutil

    import matplotlib
    from matplotlib.figure import Figure  # only if a picture is asked

    formats = set(Figure().canvas.get_supported_filetypes())
    if not shutil.which(matplotlib.rcParams["pgf.texsystem"]):
        formats.discard("pgf")
    return sorted(formats)


def prepare_out_dir(parser, flag, path):
    """Create directory `path` and try a file in it; refuse (exit 2) if
    either fails, removing any directory this call created.

    The path is taken as the OS takes it: "a/new/../b" needs "a/new" (it
    is made), where os.path.abspath would have skipped it."""
    if not path.strip():
        parser.error(f"argument {flag}: must name a directory, got {path!r}")
    created = []
    try:
        current = os.sep if path.startswith(os.sep) else ""
        for part in path.split(os.sep):
            current = os.path.join(current, part) if part else current
            if part not in ("", ".", "..") and not os.path.exists(current):
                os.mkdir(current)
                created.append(current)
        probe_directory(path)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        for directory in reversed(created):
            if os.path.isdir(directory):
                os.rmdir(directory)
        parser.error(
            f"argument {flag}: cannot write to directory {path!r}: "
            f"{reason(error)}"
        )


def probe_directory(directory):
    """Create and remove a short-named file in `directory` (OSError if not)."""
    handle, probe = tempfile.mkstemp(dir=directory, prefix=".t")
    os.close(handle)
    os.remove(probe)


def reason(error):
    """The OS's words for an OSError, without Python's decoration."""
    return getattr(error, "strerror", None) or str(error)


def save(path, write):
    """Call write(temporary_path), then rename the result onto `path`.

    A reader sees the old file (or none) or the complete new one, never a
    half-written one. The temporary name is short (so any valid target name
    works) and keeps the suffix, from which savefig picks the format.
    Returns True if written; if not, one line on stderr names the file and
    the reason, and False comes back (the script then exits with 1).
    """
    directory = os.path.dirname(path) or "."
    suffix = os.path.splitext(path)[1][-8:]
    temporary = None
    try:
        os.makedirs(directory, exist_ok=True)  # deleted during the run
        remove_stale_temporaries(directory, {suffix})
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=".t", suffix=suffix
        )
        _temporaries.add(temporary)
        os.close(handle)
        write(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes files private
        os.replace(temporary, path)
        return True
    except OSError as error:
        print(
            f"error: could not write {path}: {reason(error)}", file=sys.stderr
        )
        return False
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.remove(temporary)
        _temporaries.discard(temporary)


def remove_stale_temporaries(directory, suffixes, before=None):
    """Remove save()'s temporary files ending in one of `suffixes` that a
    killed run left in `directory`: those changed before `before` (default:
    a minute before this process started; a run writing now has younger
    ones)."""
    before = STARTED - 60 if before is None else before
    with contextlib.suppress(OSError):
        for name in os.listdir(directory):
            stem, ending = os.path.splitext(name)
            if ending not in suffixes or not TEMPORARY.fullmatch(stem):
                continue
            path = os.path.join(directory, name)
            with contextlib.suppress(OSError):
                if os.lstat(path).st_mtime < before:
                    os.remove(path)


def save_text(path, text):
    def write(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)

    return save(path, write)


def claim_out_dir(directory, paths):
    """Before training: lock `directory` for this run, remove temporary
    files that killed runs left there, and check that every output path
    can be replaced. Returns the problem in one line, or None; the lock
    holds until the process ends."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return (
            f"another run is writing into {directory!r}; wait for it to"
            " end or choose another --out"
        )
    _held.append(handle)  # closed, and so unlocked, when the process ends
    # Under the lock no other run writes here: every leftover goes.
    suffixes = {os.path.splitext(path)[1] for path in paths}
    remove_stale_temporaries(directory, suffixes, before=float("inf"))
    for path in paths:
        problem = replaceable(path)
        if problem:
            return problem
    return None


def replaceable(path):
    """Why `path` cannot be replaced by a new file, or None."""
    if not os.path.lexists(path):
        return None
    if os.path.isdir(path) and not os.path.islink(path):
        return f"{path!r} is a directory; the run writes a file there"
    directory = os.path.dirname(path) or "."
    folder, old = os.stat(directory), os.lstat(path)
    me = os.geteuid()
    if folder.st_mode & stat.S_ISVTX and me not in (0, folder.st_uid):
        if old.st_uid != me:  # a sticky folder keeps others' files
            return f"{path!r} belongs to another user and cannot be replaced"
    return None


def release_out_dirs():
    """Unlock the directories claim_out_dir() locked."""
    while _held:
        os.close(_held.pop())
