"""Files written whole, and folders checked before a run (every script
that writes: --save-model, --out, predict.py's --output)."""

import glob
import os
import stat
import sys
import tempfile

from support import ending


def writable_folder(folder, make=False):
    """None if `folder` takes a new file (made first if `make`), else why
    not. The test file leaves no trace (on Linux it never has a name)."""
    try:
        if make:
            os.makedirs(folder, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as error:
        return error.strerror or str(error)
    return None


def save(path, write):
    """write(temporary), renamed onto `path`: the old file or the new whole,
    with the mode a plain open() would give. A failure costs one line on
    stderr and exit status 1. A killed run's temporary goes at the next
    save to the same path (runs into one folder do not share it)."""
    directory, name = os.path.split(path)
    directory = directory or "."
    suffix = "." + name.rsplit(".", 1)[-1]  # .keras, and for ".keras"
    prefix = f".{name}."  # hidden, and named for what it will become
    temporary = None
    try:
        pattern = glob.escape(os.path.join(directory, prefix)) + "*"
        for stale in glob.glob(pattern):
            os.remove(stale)
        handle, temporary = tempfile.mkstemp(suffix, prefix, directory)
        os.close(handle)
        write(temporary)
        os.chmod(temporary, mode_for(path))  # mkstemp makes it private
        os.replace(temporary, path)
        return True
    except OSError as error:
        reason = error.strerror or error
        print(f"error: could not write {path}: {reason}", file=sys.stderr)
        ending.write_failed()
        return False
    finally:
        if temporary and os.path.exists(temporary):
            os.remove(temporary)


def mode_for(path):
    """The file's own mode if it exists, else 0o666 less the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)  # reading it means setting it: put it back
        os.umask(umask)
        return 0o666 & ~umask


def save_model(model, path, progress):
    """Sections 3-4, --save-model: the model saved whole, and how many
    epochs it was trained."""
    if save(path, model.save):
        trained = f"{progress.epochs} of {progress.n_epochs} epochs"
        print(f"saved {path} ({trained})")
