#!/usr/bin/env python3
"""tbparse-style CSV export through TensorBoard's Python loader (the baseline).

Loads every run of LOGDIR with event_accumulator.EventAccumulator keeping
every point (size_guidance 0), as tbparse does, and writes one CSV row per
scalar point: run,tag,step,wall_time,value. Prints one JSON line with the
point count and peak RSS.

Usage:  python bench/tb_export.py LOGDIR OUT.csv
"""
import csv
import json
import os
import resource
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util


def runs(logdir):
    for dirpath, _dirs, files in sorted(os.walk(logdir)):
        if any("tfevents" in f for f in files):
            yield os.path.relpath(dirpath, logdir).replace(os.sep, "/"), dirpath


def main(logdir, out):
    points = 0
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["run", "tag", "step", "wall_time", "value"])
        for name, path in runs(logdir):
            acc = event_accumulator.EventAccumulator(
                path, size_guidance={"scalars": 0, "tensors": 0, "histograms": 0, "images": 0, "audio": 0, "compressedHistograms": 0}
            )
            acc.Reload()
            tags = acc.Tags()
            for tag in tags["scalars"]:
                for ev in acc.Scalars(tag):
                    w.writerow([name, tag, ev.step, ev.wall_time, ev.value])
                    points += 1
            for tag in tags["tensors"]:
                for ev in acc.Tensors(tag):
                    w.writerow([name, tag, ev.step, ev.wall_time, tensor_util.make_ndarray(ev.tensor_proto).item()])
                    points += 1
    print(json.dumps({"points": points, "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
