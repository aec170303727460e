"""Python on Linux made to lack what Python on macOS lacks, as far as a
script can tell: no /proc, and no os.sysconf("SC_AVPHYS_PAGES"). Put
this folder on PYTHONPATH; Python imports this module at start-up."""

import builtins
import os

_open, _listdir, _sysconf, _stat = (
    builtins.open,
    os.listdir,
    os.sysconf,
    os.stat,
)


def _no_proc(path):
    if str(path).startswith("/proc"):
        raise FileNotFoundError(2, "No such file or directory", str(path))


def _opened(file, *args, **kwargs):
    _no_proc(file)
    return _open(file, *args, **kwargs)


def _listed(path="."):
    _no_proc(path)
    return _listdir(path)


def _stated(path, *args, **kwargs):
    _no_proc(path)
    return _stat(path, *args, **kwargs)


def _asked(name):
    if name == "SC_AVPHYS_PAGES":
        raise ValueError("unrecognized configuration name")
    return _sysconf(name)


builtins.open, os.listdir, os.stat, os.sysconf = (
    _opened,
    _listed,
    _stated,
    _asked,
)
del os.sysconf_names["SC_AVPHYS_PAGES"]
