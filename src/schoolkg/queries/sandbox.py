"""Keep query evaluation off the network and inside a memory budget (Linux).

``deny_network()`` installs a seccomp filter that makes ``socket()`` fail with ``EACCES`` for
every address family but ``AF_UNIX`` (and refuses ``io_uring``, which could open sockets behind
the filter's back). A SPARQL ``SERVICE`` that got past the read-only guard then fails inside
pyoxigraph before a single packet is sent, and so does any DNS look-up. The filter is the
kernel's: it holds whatever the query engine does, and it cannot be removed again.

With ``whole_process=True`` (the endpoint's worker processes) the filter is synchronised onto
every thread of the process; otherwise only the calling thread and the threads it starts are
filtered (``schoolkg query`` runs its embedded queries in such a thread, so the rest of the
process, a test runner for instance, keeps its network).

``limit_memory(n)`` caps the process's address space (``RLIMIT_AS``): an allocation past it
fails, and pyoxigraph aborts the worker, which the runner reports as over the memory limit.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import struct

__all__ = ["SandboxError", "deny_network", "limit_memory", "network_denied", "supported"]

# seccomp and BPF constants (linux/seccomp.h, linux/filter.h, linux/audit.h)
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
# machine -> (audit arch, socket, io_uring_setup, seccomp) syscall numbers
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}
_X32_BIT = 0x40000000
_AF_UNIX = 1
"""``socket.AF_UNIX`` on Linux (the filter's only platform), without importing :mod:`socket`."""


class SandboxError(OSError):
    """The kernel refused to install the filter, or this platform has none."""


def supported() -> bool:
    """Whether this platform can deny the network to query code (Linux on x86-64 or arm64).

    >>> isinstance(supported(), bool)
    True
    """
    system, machine = _system()
    return system == "Linux" and machine in _ARCHES


def _system() -> tuple[str, str]:
    """The kernel's name and machine (``platform.system()``, ``platform.machine()`` without
    importing :mod:`platform`, issue 19 startup)."""
    u = os.uname()
    return u.sysname, u.machine


def deny_network(whole_process: bool = False) -> None:
    """Make ``socket()`` fail for every family but ``AF_UNIX``, from now on, for good.

    Parameters
    ----------
    whole_process : bool
        Filter every thread of the process (worker processes); by default only the calling
        thread and the threads it starts afterwards.

    Raises
    ------
    SandboxError
        When the platform has no seccomp filter or the kernel refuses it.
    """
    system, machine = _system()
    if not supported():
        raise SandboxError(f"no network sandbox on {system} {machine}")
    arch, sys_socket, sys_io_uring, sys_seccomp = _ARCHES[machine]
    deny = _RET_ERRNO | errno.EACCES
    x32 = machine == "x86_64"
    prog = [
        (_LD_W_ABS, 0, 0, 4),  # A = seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),  # another ABI (e.g. i386 on x86-64): refuse every call
        (_LD_W_ABS, 0, 0, 0),  # A = seccomp_data.nr
        (_JGE_K, 0, 1, _X32_BIT) if x32 else (_JEQ_K, 0, 1, 0xFFFFFFFF),
        (_RET_K, 0, 0, deny),  # the x32 ABI
        (_JEQ_K, 0, 1, sys_io_uring),
        (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 3, sys_socket),
        (_LD_W_ABS, 0, 0, 16),  # A = low word of args[0], the address family
        (_JEQ_K, 1, 0, _AF_UNIX),
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _RET_ALLOW),
    ]
    code = b"".join(struct.pack("=HBBI", *op) for op in prog)
    buf = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack("@HP", len(prog), ctypes.addressof(buf))
    fbuf = ctypes.create_string_buffer(fprog, len(fprog))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    flags = _SECCOMP_FILTER_FLAG_TSYNC if whole_process else 0
    rc = libc.syscall(ctypes.c_long(sys_seccomp), ctypes.c_long(_SECCOMP_SET_MODE_FILTER), ctypes.c_long(flags), fbuf)
    if rc != 0:
        raise SandboxError(ctypes.get_errno(), "seccomp(SECCOMP_SET_MODE_FILTER) failed")


def _libc() -> ctypes.CDLL:
    """The C library: the process's own symbols (``dlopen(NULL)``, where Python's libc already
    is), else found by name (``ctypes.util.find_library`` runs ``ldconfig``: ~4 ms, issue 19)."""
    own = ctypes.CDLL(None, use_errno=True)
    if hasattr(own, "prctl") and hasattr(own, "syscall"):
        return own
    from ctypes.util import find_library

    return ctypes.CDLL(find_library("c") or "libc.so.6", use_errno=True)


def network_denied() -> bool:
    """Whether this thread can no longer open an Internet socket.

    >>> network_denied()
    False
    """
    import socket

    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space at ``max_bytes`` (RLIMIT_AS); 0 leaves it unlimited."""
    if max_bytes > 0:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
