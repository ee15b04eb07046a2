"""The kernel-usage monitor sees a process's memory and CPU time, children included."""

import subprocess
import sys
import time

import pytest

from aigc_course.kernel_usage import KernelUsageMonitor

# Allocates and touches 150 MB (bytearray writes every page), burns about 1 s of CPU, then waits.
HOG = """
import sys, time
block = bytearray(150_000_000)
started = time.process_time()
while time.process_time() - started < 1.0:
    pass
print("ready", flush=True)
sys.stdin.readline()
"""


def _run_and_watch(code: str, include_children: bool = True) -> tuple:
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        monitor = KernelUsageMonitor(process.pid, interval=0.05, include_children=include_children).start()
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.2)  # at least one sample after the work is done
        usage = monitor.stop()
    finally:
        process.communicate("\n", timeout=30)
    return usage


def test_sees_the_memory_and_cpu_time_of_the_process():
    usage = _run_and_watch(HOG)
    # at least the 150 MB it holds (interpreter and page tables come on top); the busy loop runs on
    # process time, so its 1.0 s is a floor on any machine, however loaded
    assert usage.peak_memory_mb >= 150
    assert usage.cpu_seconds >= 1.0


# the parent only waits; its child holds the memory and burns the CPU time
PARENT = f"""
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", {HOG!r}], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
print(child.stdout.readline().strip(), flush=True)
sys.stdin.readline()
child.communicate("\\n")
"""


def test_counts_the_children_too():
    usage = _run_and_watch(PARENT)
    assert usage.peak_memory_mb >= 150 and usage.cpu_seconds >= 1.0


def test_can_leave_the_children_out():
    # the waiting parent alone: an interpreter (tens of MB) and well under the child's 1 s of CPU
    usage = _run_and_watch(PARENT, include_children=False)
    assert usage.peak_memory_mb < 150 and usage.cpu_seconds < 1.0


def test_keeps_its_figures_after_the_process_ends():
    process = subprocess.Popen([sys.executable, "-c", "import time; x = bytearray(50_000_000); time.sleep(0.5)"])
    monitor = KernelUsageMonitor(process.pid, interval=0.05).start()
    process.wait(timeout=30)
    first = monitor.usage()
    later = monitor.stop()  # the process is gone: the last sample is kept, nothing raises
    assert later.peak_memory_mb >= first.peak_memory_mb > 0


@pytest.mark.parametrize("kwargs, words", [({"pid": 0}, "pid"), ({"pid": True}, "pid"),
                                           ({"pid": 1, "interval": 0.0}, "interval"),
                                           ({"pid": 1, "interval": float("nan")}, "interval"),
                                           ({"pid": 1, "include_children": "no"}, "include_children")])
def test_bad_arguments_are_named(kwargs, words):
    with pytest.raises((TypeError, ValueError), match=words):
        KernelUsageMonitor(**kwargs)
