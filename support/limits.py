"""Size limits: a run that cannot fit in memory is refused up front.

Training holds the model (weights, gradients, Adam's two moments and the
copies a compiled step keeps), the activations of one sequence, and the
per-epoch results. Evaluation works in chunks of bounded size (see
evaluation.py), so --eval-sequences costs time, not memory. The estimates
below are deliberately generous; the limit is the memory the machine has
available now, not a fixed number.
"""

import os
import resource

FLOAT_BYTES = 4
# Copies of every parameter: weights, gradients, Adam's m and v, the
# compiled step's buffers, and the fresh model a comparison repeat builds.
# Measured: --units 8000 (1 GB of weights) peaked at 15.9 GB.
PARAMETER_COPIES = 20
# Floats kept per timestep and unit for the backward pass (four gates,
# cell and hidden state, their inputs), with room for the compiler.
ACTIVATION_FLOATS = 16
# Bytes per recorded epoch: Python floats in lists, DataFrame columns, and
# the text of the CSV row while it is written.
RESULT_BYTES = 200
# Share of the available memory a run may plan to use.
BUDGET_SHARE = 0.75
# What each worker process (--jobs 2 or more) holds besides its models: a
# fresh interpreter with Keras and its backend. Measured peaks of a worker
# of compare_directions.py with its default models: 1.02 GB (TensorFlow),
# 0.97 GB (JAX), 1.01 GB (PyTorch).
WORKER_BYTES = 1.1e9
# data.py's peak for one sequence, measured (/usr/bin/time, maximum
# resident set): 34 MB at 1000 timesteps, 229 MB at 10 million and 620 MB
# at 30 million, that is 20 bytes per timestep beyond the interpreter.
SEQUENCE_BYTES_PER_TIMESTEP = 20


def available_bytes():
    """Memory available to a new process now (Linux: MemAvailable)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
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
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


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
    timesteps, units, epochs, repeats=1, models=1, directions=2, jobs=1
):
    """A generous estimate of what one run holds in memory at its peak:
    with --jobs 2 or more, every worker's models and interpreter too."""
    lstm = 4 * units * (units + 2)  # kernel, recurrent kernel and bias
    parameters = directions * lstm + directions * units + 1  # + Dense
    model = parameters * FLOAT_BYTES * PARAMETER_COPIES
    activations = timesteps * units * directions * ACTIVATION_FLOATS
    training = model + activations * FLOAT_BYTES
    if jobs > 1:  # the workers train; the parent keeps the results
        training = jobs * (training + WORKER_BYTES)
    results = epochs * repeats * models * RESULT_BYTES
    return training + results


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
    }
    budget = budget_bytes()
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
