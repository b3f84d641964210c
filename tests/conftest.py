"""Test ordering: the tests that start threaded runtimes run last.

JAX and dask.distributed start threads when imported or used; several tests (the pipeline's claim
workers, the fault injection) fork the test process, and forking a process with foreign threads can
deadlock (JAX warns of it). Running the threaded-backend tests after every forking test keeps the forks
in a process with no such threads.
"""
from __future__ import annotations

THREADED_BACKENDS = ("tests/generated/test_array_backends.py", "tests/test_sweep.py")


def pytest_collection_modifyitems(session, config, items) -> None:
    def threaded(item) -> bool:
        return item.nodeid.startswith(THREADED_BACKENDS)

    items[:] = [item for item in items if not threaded(item)] + [item for item in items if threaded(item)]
