"""Python on Linux made to lack what Python on Windows lacks, as far as
a script can tell: POSIX-only modules and names. Put this folder on
PYTHONPATH; Python imports this module at start-up."""

import os
import signal
import sys

for module in ("fcntl", "resource", "termios", "grp", "pwd"):
    sys.modules[module] = None  # import now fails, as on Windows
for name in ("SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM"):
    delattr(signal, name)
for name in ("geteuid", "getuid", "sysconf", "sysconf_names", "fork"):
    delattr(os, name)
