"""Size limits: a run that cannot fit in memory is refused up front.

A run's peak is estimated from terms fitted to measured peaks (maximum
resident set, benchmarks/memory_peaks.py prints them beside the estimate):
the process with Keras and its backend, then for every direction of every
model the run keeps (a comparison keeps all of its models) a cost per
timestep, which depends on the backend and on XLA, and the copies of its
parameters; then the per-epoch results. Evaluation works in chunks of
bounded size (see evaluation.py), so --eval-sequences costs time, not
memory. The budget is a share of the smallest of the memory available
now and the process's own limits (ulimit -v, a cgroup's memory.max).
"""

import os
import resource

FLOAT_BYTES = 4
# Copies of every parameter: weights, gradients, Adam's m and v, the
# compiled step's buffers, and the fresh model a comparison repeat builds.
# Measured: --units 8000 (1 GB of weights) peaked at 15.9 GB.
PARAMETER_COPIES = 20
# Bytes per timestep and direction of every model kept, by backend, above
# the measured slopes: TensorFlow with XLA (up to 200 timesteps) 1.2-1.8
# MB, without it 0.3-0.5 MB; JAX 0.5 MB beside its square term (below);
# PyTorch 0.04 MB.
TIMESTEP_BYTES = {"xla": 2.0e6, "tensorflow": 0.6e6, "jax": 1.5e6}
TIMESTEP_BYTES["torch"] = 0.2e6
# JAX's compiled step grows faster than the sequence: measured peaks of
# 0.50 GB at 10 timesteps, 2.2 GB at 500 and 6.8 GB at 1000, which
# 0.5 MB x t + 5800 bytes x t**2 above the process fits; this term and the
# one above are rounded up.
TIMESTEP_SQUARED_BYTES = {"jax": 6000}
XLA_MAX_TIMESTEPS = 200  # as speed.XLA_MAX_TIMESTEPS
# Bytes per recorded epoch: Python floats in lists, DataFrame columns, and
# the text of the CSV row while it is written.
RESULT_BYTES = 200
# Share of the available memory a run may plan to use.
BUDGET_SHARE = 0.75
# A process with Keras and its backend and one small model (the parent, and
# each worker of --jobs 2 or more), by backend. Measured peaks of
# lstm_classifier.py at 10 timesteps and of a worker of compare_directions.py
# with its default models: TensorFlow 0.93 and 1.04 GB, JAX 0.50 and 0.58
# GB, PyTorch 0.59 and 0.59 GB (on JAX and PyTorch without TensorFlow: see
# speed.leave_out_tensorflow). Rounded up for releases that need more.
PROCESS_BYTES = {"tensorflow": 1.2e9, "jax": 0.7e9, "torch": 0.7e9}
# data.py's peak for one sequence, measured (/usr/bin/time, maximum
# resident set): 34 MB at 1000 timesteps, 229 MB at 10 million and 620 MB
# at 30 million, that is 20 bytes per timestep beyond the interpreter.
SEQUENCE_BYTES_PER_TIMESTEP = 20


def available_bytes():
    """Memory available to a new process now (Linux: MemAvailable)."""
    available = _proc_bytes("/proc/meminfo", "MemAvailable:")
    if available is not None:
        return available
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def budget_bytes():
    """What a run may plan to use: BUDGET_SHARE of the smallest of the
    memory available now, the room left under the process's address-space
    limit (ulimit -v) and the room left in its cgroup (memory.max)."""
    rooms = [available_bytes()]
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        rooms.append(soft - _status_bytes("VmSize:"))
    cgroup = cgroup_room()
    if cgroup is not None:
        rooms.append(cgroup)
    return BUDGET_SHARE * max(0, min(rooms))


def _status_bytes(field):
    """A size from /proc/self/status (0 if there is none)."""
    return _proc_bytes("/proc/self/status", field) or 0


def _proc_bytes(path, field):
    """The "<field> <n> kB" line of a /proc file in bytes, or None."""
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def cgroup_room():
    """memory.max - memory.current of this process's cgroup (v2), or None
    where there is no such limit."""
    try:
        with open("/proc/self/cgroup", encoding="ascii") as handle:
            path = next(
                line.split(":", 2)[2].strip()
                for line in handle
                if line.startswith("0::")
            )
        folder = os.path.join("/sys/fs/cgroup", path.lstrip("/"))
        with open(os.path.join(folder, "memory.max"), encoding="ascii") as h:
            limit = h.read().strip()
        if limit == "max":
            return None
        with open(
            os.path.join(folder, "memory.current"), encoding="ascii"
        ) as h:
            return int(limit) - int(h.read())
    except (OSError, ValueError, StopIteration, IndexError):
        return None


def check_sequence_size(parser, n_timesteps):
    """data.py: refuse (exit 2) a sequence too long for the memory."""
    needed = n_timesteps * SEQUENCE_BYTES_PER_TIMESTEP
    budget = budget_bytes()
    if needed > budget:
        parser.error(
            f"argument --timesteps: {n_timesteps} needs about {human(needed)}"
            f" of memory, more than this machine can spare ({human(budget)})"
        )


def needed_bytes(
    timesteps,
    units,
    epochs,
    repeats=1,
    models=1,
    directions=2,
    jobs=1,
    backend="tensorflow",
):
    """A generous estimate of a run's peak memory (see the docstring);
    `directions` per model. With --jobs 2 or more: the parent and every
    worker with its models."""
    lstm = 4 * units * (units + 2)  # kernel, recurrent kernel and bias
    parameters = directions * lstm + directions * units + 1  # + Dense
    kind = backend
    if backend == "tensorflow" and timesteps <= XLA_MAX_TIMESTEPS:
        kind = "xla"
    per_direction = timesteps * TIMESTEP_BYTES.get(
        kind, 4.0e6
    ) + timesteps**2 * TIMESTEP_SQUARED_BYTES.get(kind, 0)
    per_model = (
        parameters * FLOAT_BYTES * PARAMETER_COPIES
        + directions * per_direction
    )
    results = epochs * repeats * models * RESULT_BYTES
    base = PROCESS_BYTES.get(backend, max(PROCESS_BYTES.values()))
    process = base + models * per_model
    if jobs > 1:  # the workers train; the parent keeps the results
        return base + results + jobs * process
    return process + results


def largest_fitting(bytes_for, budget):
    """The largest positive integer n with bytes_for(n) <= budget (0 if
    none); bytes_for must grow with n."""
    if bytes_for(1) > budget:
        return 0
    low, high = 1, 2
    while bytes_for(high) <= budget:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if bytes_for(middle) <= budget:
            low = middle
        else:
            high = middle
    return low


def human(n_bytes):
    """1234567 -> '1.2 MB'."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n_bytes < 1000 or unit == "TB":
            break
        n_bytes /= 1000
    return f"{n_bytes:.1f} {unit}"


def _backend():
    import keras  # loaded already by the scripts that train

    return keras.backend.backend()


def check_sizes(parser, args, bidirectional):
    """Refuse (exit 2) the first size flag that makes the run too big."""
    sizes = {
        "timesteps": args.timesteps,
        "units": args.units,
        "epochs": args.epochs,
        "repeats": getattr(args, "repeats", 1),
        "models": len(getattr(args, "models", [None])),
        "directions": 2 if bidirectional else 1,
        "jobs": getattr(args, "jobs", 1),
        "backend": _backend(),
    }
    # What this process holds already is part of the peak.
    budget = budget_bytes() + _status_bytes("VmRSS:")
    if needed_bytes(**sizes) <= budget:
        return
    for name in ("jobs", "units", "timesteps", "epochs", "repeats"):

        def bytes_for(value, name=name):
            return needed_bytes(**dict(sizes, **{name: value}))

        limit = largest_fitting(bytes_for, budget)
        if 0 < limit < sizes[name]:
            flag = f"--{name.replace('_', '-')}"
            parser.error(
                f"argument {flag}: {sizes[name]} needs about "
                f"{human(bytes_for(sizes[name]))} of memory, more than this "
                f"machine can spare ({human(budget)}); at most {limit} fits "
                "with the other settings"
            )
    parser.error(
        "these settings together need about "
        f"{human(needed_bytes(**sizes))} of memory, more than this machine "
        f"can spare ({human(budget)}); lower --jobs, --units, --timesteps,"
        " --epochs or --repeats"
    )
