#!/usr/bin/env python3
"""Proves that the bench's corpus encoder writes what the real writers write.

Writes a few hundred points with each real writer (tf.summary.scalar in a
tf.summary.create_file_writer, Keras' TensorBoard callback, PyTorch's
SummaryWriter.add_scalar, tensorboardX's), plus hyperparameters as
TensorBoard's hp.hparams and PyTorch's add_hparams lay them out; then has
bench/corpus/encode-cli.js write the same (tag, step, wall time, value)
(wall times and file-name parts taken from the real files, values as given to
the writer) and compares the two record by record: file names, record count,
and each record's bytes (framing, CRCs, data). An hparams map is compared as a
set of entries: Python's protobuf writes map entries in a per-process hash
order, so no one order is the writer's layout.

Run by hand, not by the tests (they never need Python):

    /work/venv/bin/python bench/check-corpus-layout.py [--points N] [--keep DIR]

Exit status 0 when every record matches.
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

from tensorboard.compat.proto import event_pb2  # noqa: E402
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ENCODER = os.path.join(HERE, "corpus", "encode-cli.js")
HOST = socket.gethostname()
PID = os.getpid()

TAGS = ["train/loss", "train/accuracy", "eval/loss", "system/gpu_util"]
DESCRIBED = "train/accuracy"
DESCRIPTION = "Top-1 accuracy on the training batch"
HPARAMS = {"lr": 0.0003, "batch_size": 64, "optimizer": "adam", "dropout": 0.0, "use_bn": True, "augment": False,
           "seed": 0, "wd": 1.5e-05}
METRICS = {"hparam/accuracy": 0.9312, "hparam/loss": 0.2087}


def steps_and_values(n, seed, negative_zero=True):
    """Steps from 0 with a few large ones; values with the awkward floats among ordinary ones.

    No -0.0 for TensorFlow: its eager constant cache keys Python floats by value, so a -0.0 logged
    after a 0.0 is written as 0.0 (a quirk of the writer, not a layout to imitate).
    """
    rng = random.Random(seed)
    steps = list(range(n - 3)) + [2**20 + 7, 2**31 + 5, 2**40 + 3]
    special = [0.0] + ([-0.0] if negative_zero else []) + [1e-30, -3.4e38, 3.3e38, 0.1, float("inf"), float("-inf"), float("nan"), 1 / 3, 123456.789]
    values = [special[i] if i < len(special) else rng.gauss(0, 10) for i in range(n)]
    rng.shuffle(values)
    return steps, values


def hex_double(x):
    return struct.pack("<d", x).hex()


def write_tf2(root, n):
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    d = os.path.join(root, "tf2")
    steps, values = steps_and_values(n, 1, negative_zero=False)
    inputs = []
    w = tf.summary.create_file_writer(d)
    with w.as_default():
        hp.hparams(HPARAMS)
        for i, step in enumerate(steps):
            for k, tag in enumerate(TAGS):
                v = values[(i + k) % n]
                desc = DESCRIPTION if tag == DESCRIBED else None
                tf.summary.scalar(tag, v, step=step, description=desc)
                inputs.append((tag, step, v, desc))
    w.close()
    return d, inputs


def write_keras(root):
    import numpy as np
    import tensorflow as tf

    d = os.path.join(root, "keras")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.random.rand(64, 3).astype("float32")
    y = np.random.rand(64, 1).astype("float32")
    cb = tf.keras.callbacks.TensorBoard(d, histogram_freq=0, write_graph=False, update_freq="epoch")
    model.fit(x, y, epochs=4, batch_size=16, validation_data=(x, y), callbacks=[cb], verbose=0)
    return d


def write_summary_writer(module, root, name, n, seed, with_hparams):
    d = os.path.join(root, name)
    steps, values = steps_and_values(n, seed)
    inputs = []
    w = module.SummaryWriter(d)
    for i, step in enumerate(steps):
        for k, tag in enumerate(TAGS):
            v = values[(i + k) % n]
            w.add_scalar(tag, v, step)
            inputs.append((tag, step, v, None))
    if with_hparams:
        w.add_hparams(HPARAMS, METRICS, run_name=".")
    w.close()
    return d, inputs


def records(path):
    """(raw framed record, data) of every record in a TFRecord file."""
    with open(path, "rb") as f:
        b = f.read()
    i = 0
    while i < len(b):
        (n,) = struct.unpack("<Q", b[i : i + 8])
        yield b[i : i + 16 + n], b[i + 12 : i + 12 + n]
        i += 16 + n


def event_files(d):
    out = []
    for dirpath, _dirs, files in os.walk(d):
        out += [os.path.join(dirpath, f) for f in files if "tfevents" in f]
    return sorted(out)


NAME = re.compile(r"^events\.out\.tfevents\.(\d+)\.(.+?)(?:\.(\d+)\.(\d+))?(\.v2)?$")


def name_parts(path):
    m = NAME.match(os.path.basename(path))
    if not m:
        raise SystemExit(f"unexpected file name {path}")
    secs, host, pid, counter, _v2 = m.groups()
    return {"secs": int(secs), "host": host, "pid": int(pid or 0), "counter": int(counter or 0)}


def hparams_list(h):
    typ = lambda v: "bool" if isinstance(v, bool) else "int" if isinstance(v, int) else "float" if isinstance(v, float) else "str"  # noqa: E731
    return [[k, typ(v), str(v) if typ(v) == "int" else v] for k, v in h.items()]


def spec_for(writer, path, inputs, out_dir, root):
    """What the encoder is asked to write for one real file: its name parts, wall times, the inputs."""
    evs = [event_pb2.Event.FromString(data) for _raw, data in records(path)]
    spec = {
        "dir": os.path.join(out_dir, os.path.relpath(os.path.dirname(path), root)),
        "writer": writer,
        "name": name_parts(path),
        "fileVersionWallTime": evs[0].wall_time,
        "events": [],
    }
    it = iter(inputs or [])
    i = 1
    while i < len(evs):
        e = evs[i]
        tag = e.summary.value[0].tag
        if tag == "_hparams_/session_start_info" and writer == "tf2":
            ssi = plugin_data_pb2.HParamsPluginData.FromString(e.summary.value[0].metadata.plugin_data.content)
            spec["events"].append({"tf2Hparams": hparams_list(HPARAMS), "wallTime": e.wall_time,
                                   "startTimeSecs": ssi.session_start_info.start_time_secs})
            i += 1
        elif tag == "_hparams_/experiment":
            walls = [x.wall_time for x in evs[i : i + 3 + len(METRICS)]]
            spec["events"].append({"pytorchHparams": hparams_list(HPARAMS), "metrics": list(METRICS.items()),
                                   "wallTimes": walls})
            i += len(walls)
        else:
            if inputs is None:  # Keras: the values are what it wrote (float32), taken back from the record.
                v = struct.unpack("<f", e.summary.value[0].tensor.tensor_content)[0]
                item = (tag, e.step, v, None)
            else:
                item = next(it)
            want_tag, step, v, desc = item
            if (want_tag, step) != (tag, e.step):
                raise SystemExit(f"{path}: record {i} is {tag}@{e.step}, expected {want_tag}@{step}")
            ev = {"scalar": [tag, step, e.wall_time, hex_double(v)]}
            if desc:
                ev["description"] = desc
            spec["events"].append(ev)
            i += 1
    return spec


def split_fields(b):
    """Top-level (field number, raw bytes) of a protobuf message."""
    out, i = [], 0
    while i < len(b):
        start = i
        key, i = varint(b, i)
        wt = key & 7
        if wt == 0:
            _, i = varint(b, i)
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        elif wt == 2:
            n, i = varint(b, i)
            i += n
        else:
            raise ValueError(f"wire type {wt}")
        out.append((key >> 3, b[start:i]))
    return out


def varint(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 127) << shift
        shift += 7
        if c < 128:
            return n, i


def same_up_to_map_order(real, ours):
    """Both records hparams session_start_info summaries whose maps hold the same entries, in any order?"""
    er, eo = event_pb2.Event.FromString(real), event_pb2.Event.FromString(ours)
    if not (er.summary.value and er.summary.value[0].tag == "_hparams_/session_start_info"):
        return False
    cr = er.summary.value[0].metadata.plugin_data.content
    co = eo.summary.value[0].metadata.plugin_data.content
    if len(cr) != len(co) or real.replace(cr, co) != ours:
        return False
    (fr, ir), (fo, io) = split_fields(cr)[0], split_fields(co)[0]  # session_start_info (3)
    if (fr, fo) != (3, 3) or len(ir) != len(io):
        return False
    inner = lambda raw: split_fields(raw[len(raw) - varint_payload_len(raw):])  # noqa: E731
    pr, po = inner(ir), inner(io)
    entries = lambda fs: sorted(x for f, x in fs if f == 1)  # noqa: E731
    rest = lambda fs: [x for f, x in fs if f != 1]  # noqa: E731
    return entries(pr) == entries(po) and rest(pr) == rest(po)


def varint_payload_len(field):
    _, i = varint(field, 0)
    n, _ = varint(field, i)
    return n


def compare(label, real_files, our_files):
    ok = True
    exact = by_set = differing = 0
    if [os.path.basename(p) for p in real_files] != [os.path.basename(p) for p in our_files]:
        print(f"  {label}: file names differ: {real_files} vs {our_files}")
        return False, 0, 0
    for rp, op in zip(real_files, our_files):
        rr, orr = list(records(rp)), list(records(op))
        if len(rr) != len(orr):
            print(f"  {label}: {os.path.basename(rp)}: {len(rr)} records written by the real writer, {len(orr)} by ours")
            ok = False
        for k, ((raw_r, data_r), (raw_o, data_o)) in enumerate(zip(rr, orr)):
            if raw_r == raw_o:
                exact += 1
            elif raw_r[:8] == raw_o[:8] and same_up_to_map_order(data_r, data_o):
                by_set += 1
            else:
                ok = False
                differing += 1
                if differing <= 3:
                    at = next((j for j in range(min(len(data_r), len(data_o))) if data_r[j] != data_o[j]), None)
                    print(f"  {label}: {os.path.basename(rp)} record {k} differs (data byte {at}):\n"
                          f"    real {data_r.hex()}\n    ours {data_o.hex()}")
    if differing:
        print(f"  {label}: {differing} records differ")
    return ok, exact, by_set


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=200, help="steps per tag for each writer (default 200)")
    ap.add_argument("--keep", help="write into this directory and keep it")
    args = ap.parse_args()
    root = args.keep or tempfile.mkdtemp(prefix="fb-layout-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
    real, ours = os.path.join(root, "real"), os.path.join(root, "ours")

    import tensorboardX
    import tensorflow as tf
    import torch
    import torch.utils.tensorboard as torch_tb

    cases = []
    d, inp = write_tf2(real, args.points)
    cases.append(("tf.summary.scalar + hp.hparams (tf2)", "tf2", d, inp))
    cases.append(("Keras TensorBoard callback (tf2)", "tf2", write_keras(real), None))
    d, inp = write_summary_writer(torch_tb, real, "pytorch", args.points, 2, True)
    cases.append(("torch SummaryWriter.add_scalar + add_hparams (pytorch)", "pytorch", d, inp))
    d, inp = write_summary_writer(tensorboardX, real, "tensorboardx", args.points, 3, False)
    cases.append(("tensorboardX SummaryWriter.add_scalar (tensorboardx)", "tensorboardx", d, inp))

    print(f"real writers: tensorflow {tf.__version__}, torch {torch.__version__}, "
          f"tensorboardX {tensorboardX.__version__}; {args.points} steps x {len(TAGS)} tags each")
    all_ok = True
    for label, writer, d, inputs in cases:
        files = event_files(d)
        specs = []
        for p in files:
            # PyTorch's add_hparams file has no scalars of ours: only its own events.
            own = inputs if (inputs is not None and p == files[0]) else ([] if inputs is not None else None)
            specs.append(spec_for(writer, p, own, ours, real))
        done = subprocess.run(["node", ENCODER], input=json.dumps(specs), capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr)
            raise SystemExit(f"{ENCODER} failed")
        ok, exact, by_set = compare(label, files, done.stdout.split())
        all_ok &= ok
        names = ", ".join(os.path.relpath(p, real) for p in files)
        extra = f", {by_set} equal up to the hparams map's entry order" if by_set else ""
        print(f"{'OK  ' if ok else 'FAIL'} {label}: {exact} records byte-identical{extra} ({names})")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
