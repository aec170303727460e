"""Output files: checked before training, written whole or not at all.

Running as root, or on read-only and virtual file systems, os.access says
yes where creating a file still fails; the checks here really create a
directory and a file, then remove what they made.
"""

import os
import sys
import tempfile

from support import interrupts

_temporaries = set()  # the temporary files save() is writing right now


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
        from matplotlib.figure import Figure  # only if a picture is asked

        formats = sorted(Figure().canvas.get_supported_filetypes())
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if suffix not in formats:
        parser.error(
            f"argument {flag}: {path!r} must end in one of "
            f".{', .'.join(formats)}"
        )
    if os.path.isdir(path):
        parser.error(f"argument {flag}: {path!r} is a directory, not a file")
    existed = os.path.exists(path)
    try:
        # Append mode changes nothing in a file that exists.
        with open(path, "ab"):
            pass
        probe_directory(os.path.dirname(os.path.abspath(path)))
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        parser.error(
            f"argument {flag}: cannot write {path!r}: {reason(error)}"
        )
    finally:
        if not existed and os.path.isfile(path):
            os.remove(path)


def prepare_out_dir(parser, flag, path):
    """Create directory `path` and try a file in it; refuse (exit 2) if
    either fails, removing any directory this call created."""
    if not path.strip():
        parser.error(f"argument {flag}: must name a directory, got {path!r}")
    created = []
    try:
        missing = os.path.abspath(path)
        while not os.path.exists(missing):
            created.insert(0, missing)
            missing = os.path.dirname(missing)
        for directory in created:
            os.mkdir(directory)
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
    directory = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1][-8:]
    temporary = None
    try:
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


def save_text(path, text):
    def write(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)

    return save(path, write)
