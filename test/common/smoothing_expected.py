"""Expected values for src/common/smoothing.ts, computed with TensorBoard's
scalar smoothing algorithm (tensorboard/webapp/widgets/line_chart_v2/
data_transformer.ts `classicSmoothing`), re-expressed here in Python.

Run:  python3 test/common/smoothing_expected.py   (writes smoothing-expected.json)
The jest test only reads the JSON; Python is not needed to run the tests.
"""
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "..", "fixtures", "golden")


def classic_smoothing(ys, weight):
    # Weight clipping as TensorBoard: non-finite -> 0, then into [0, 1].
    if not math.isfinite(weight):
        weight = 0.0
    weight = max(0.0, min(weight, 1.0))
    # A constant series is left alone (TensorBoard issue #786). JS `==`: NaN never equals.
    is_constant = all(y == ys[0] for y in ys)
    last = 0.0
    num_accum = 0
    out = []
    for y in ys:
        if is_constant or not math.isfinite(y):
            out.append(y)
            continue
        last = last * weight + (1 - weight) * y
        num_accum += 1
        debias = 1.0
        if weight != 1:
            debias = 1.0 - math.pow(weight, num_accum)
        out.append(last / debias)
    return out


def enc(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def golden_values(logdir, run, tag):
    with open(os.path.join(GOLDEN, logdir + ".json")) as f:
        points = json.load(f)["runs"][run]["tags"][tag]["points"]
    return [float(p["value"]) if not isinstance(p["value"], str) else float(p["value"].replace("Infinity", "inf")) for p in points]


rng = random.Random(20260101)
noisy = [math.exp(-i / 40) + rng.gauss(0, 0.05) for i in range(120)]
series = {
    "tensorboard_doc_example": [1.0, 0.5, 0.0],
    "rising": [0.0, 0.5, 1.0],
    "noisy_decay": noisy,
    "with_non_finite": [float("-inf"), 1.0, float("nan"), float("inf"), 0.5, 2.0, float("nan"), 3.0],
    "constant": [0.3, 0.3, 0.3, 0.3],
    "single": [42.0],
    "empty": [],
    "keras_train_epoch_loss": golden_values("keras", "train", "epoch_loss"),
    "tf2_special_values": golden_values("tf2", "scalars", "special_values"),
    "pytorch_loss": golden_values("pytorch", ".", "loss"),
}
weights = [0.0, 0.25, 0.6, 0.9, 0.999, 1.0, -1.0, 2.0, float("nan"), float("inf")]
cases = []
for name, ys in series.items():
    for w in weights:
        cases.append({"name": name, "weight": enc(w), "input": [enc(y) for y in ys], "expected": [enc(y) for y in classic_smoothing(ys, w)]})

with open(os.path.join(HERE, "smoothing-expected.json"), "w") as f:
    json.dump({"generator": "test/common/smoothing_expected.py", "cases": cases}, f)
print(len(cases), "cases")
