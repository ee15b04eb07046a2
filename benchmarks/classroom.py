"""Benchmark of the classroom server: a class runs a lesson at once on JupyterHub, the hub restarted mid-run.

Run as root: ``sudo .venv/bin/python benchmarks/classroom.py [--learners 8] [--runs 3]`` (about
two minutes a run on 2 cores). Each run is a fresh :class:`~aigc_course.classroom.loadtest.TrialClassroom`
(throw-away accounts on loopback, removed afterwards): every learner logs in, starts a server
(the first start copies the course into their home) and executes lesson 08 through the Jupyter
server's API, all at once, then saves an answer; the hub is restarted while they work. Before the
class, one learner runs the same lesson alone on the same machine, in the same run: the reference.

The last line printed is one JSON object (medians over runs; memory in MB, 10**6 bytes):

- ``class_wall_seconds``: from the first log-in to the last saved notebook, the whole class;
- ``alone_lesson_seconds`` / ``class_lesson_seconds`` / ``slowdown_vs_alone``: one learner's
  lesson (kernel start to saved notebook) alone, in the class (median over learners), and the ratio;
- ``start_seconds_median`` / ``start_seconds_max``: log-in to a ready server, per learner;
- ``server_peak_memory_mb_median`` / ``_max``: a learner's server with its kernel and children;
- ``server_cpu_seconds_median`` / ``alone_server_cpu_seconds``: the CPU time of a learner's server,
  kernel and children from its start (course copy included), in the class and alone;
- ``hub_peak_memory_mb`` / ``proxy_peak_memory_mb``: the JupyterHub process alone, and the proxy;
- ``class_memory_mb``: hub + proxy + every learner's peak, the figure the README's sizing rule estimates;
- ``hub_restart_seconds``: the hub's time away; ``errors``: notebook errors over all runs (0 expected);
- ``load_average``: the machine's load before and after, and its CPU count.

Without root it prints ``{"skipped": "<why>"}`` and exits 0, so ``make benchmarks`` still runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics

from _common import MachineLoad

from aigc_course.classroom.loadtest import TrialClassroom, run_class


def _one_run(learners: int) -> dict:
    with TrialClassroom(1) as room:
        alone = run_class(room, restart=False).learners[0]
    with TrialClassroom(learners) as room:
        report = run_class(room)
    outcomes = report.learners
    peaks = [o.server_peak_memory_mb for o in outcomes]
    return {
        "class_wall_seconds": report.wall_seconds,
        "alone_lesson_seconds": alone.run.seconds,
        "class_lesson_seconds": statistics.median(o.run.seconds for o in outcomes),
        "start_seconds_median": statistics.median(o.start_seconds for o in outcomes),
        "start_seconds_max": max(o.start_seconds for o in outcomes),
        "server_peak_memory_mb_median": statistics.median(peaks),
        "server_peak_memory_mb_max": max(peaks),
        "server_cpu_seconds_median": statistics.median(o.server_cpu_seconds for o in outcomes),
        "alone_server_cpu_seconds": alone.server_cpu_seconds,
        "hub_peak_memory_mb": report.hub_peak_memory_mb,
        "proxy_peak_memory_mb": report.proxy_peak_memory_mb,
        "class_memory_mb": report.hub_peak_memory_mb + report.proxy_peak_memory_mb + sum(peaks),
        "hub_restart_seconds": report.hub_restart_seconds,
        "errors": sum(o.run.error is not None for o in outcomes) + (alone.run.error is not None),
    }


def main(learners: int, runs: int) -> dict:
    if os.geteuid() != 0:
        return {"skipped": "the classroom benchmark creates accounts: run it as root"}
    load = MachineLoad()
    results = []
    for number in range(1, runs + 1):
        results.append(_one_run(learners))
        print(f"run {number}/{runs}:", json.dumps({k: round(v, 2) for k, v in results[-1].items()}), flush=True)
    out = {key: statistics.median(r[key] for r in results) for key in results[0] if key != "errors"}
    out["slowdown_vs_alone"] = out["class_lesson_seconds"] / out["alone_lesson_seconds"]
    out["errors"] = sum(r["errors"] for r in results)
    out.update(learners=learners, runs=runs, lesson="08_career_reflection", load_average=load.record())
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = main(args.learners, args.runs)
    print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items()}))
