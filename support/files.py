"""Files written whole, and folders checked before a run (every script
that writes: --save-model, --out, predict.py's --output)."""

import os
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
    """write(temporary), renamed onto `path`: the old file or the new whole.
    A failure costs one line on stderr and exit status 1."""
    temporary = None
    try:
        directory, suffix = os.path.split(path)[0], os.path.splitext(path)[1]
        handle, temporary = tempfile.mkstemp(suffix, dir=directory or ".")
        os.close(handle)
        write(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private
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


def save_model(model, path, progress):
    """Sections 3-4, --save-model: the model saved whole, and how many
    epochs it was trained."""
    if save(path, model.save):
        trained = f"{progress.epochs} of {progress.n_epochs} epochs"
        print(f"saved {path} ({trained})")
