#!/usr/bin/env python3
"""Write test/writer/tf-histograms.json: how TensorFlow 2.21 buckets histograms.

For a few fixed data sets: the legacy HistogramProto from TensorFlow's C++
histogram (tf.compat.v1.summary.histogram) and TF2's k x 3 rows from
tensorboard's histogram_pb. The writer's tests compare against these.

Usage:  venv/bin/python test/writer/tf-histograms.py
"""
import json, os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorboard.compat.proto import summary_pb2
from tensorboard.plugins.histogram import summary_v2
from tensorboard.util import tensor_util

rng = np.random.default_rng(6)
SETS = {
    "normal_500": (rng.normal(size=500) * 100).tolist(),
    "tiny_negative_huge": [-1e-13, 0.0, 1e-13, -5.0, 7.0, 7.0, 1e21],
    "constant": [3.0, 3.0, 3.0],
    "empty": [],
    "mixed": [0.5, -0.25, 1e-30, 2e19],
    "integers": [float(i % 7) for i in range(50)],
}

out = []
for name, values in SETS.items():
    v = np.array(values, dtype=np.float64)
    h = summary_pb2.Summary.FromString(tf.compat.v1.summary.histogram("h", tf.constant(v)).numpy()).value[0].histo
    rows = lambda b: tensor_util.make_ndarray(summary_v2.histogram_pb("h", v, buckets=b).value[0].tensor).flatten().tolist()
    out.append({
        "name": name,
        "values": values,
        "legacy": {"min": h.min, "max": h.max, "num": h.num, "sum": h.sum, "sumSquares": h.sum_squares,
                   "bucketLimit": list(h.bucket_limit), "bucket": list(h.bucket)},
        "tf2_default": rows(None),
        "tf2_7": rows(7),
    })
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf-histograms.json"), "w") as f:
    json.dump({"tensorflow_version": tf.__version__, "sets": out}, f, indent=1)
    f.write("\n")
