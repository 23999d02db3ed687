'use strict';
/**
 * Hyperparameters as the hparams plugin's summaries carry them, written as
 * each writer writes them (plugin name "hparams", content an HParamsPluginData
 * at version 0, which is not on the wire):
 *
 * - tf2, `hp.hparams(h)` in the run's writer: one event at step 0, tag
 *   `_hparams_/session_start_info`, a DT_FLOAT tensor of shape [0], content
 *   session_start_info {hparams map, group_name = sha256 of the sorted compact
 *   JSON of h, start_time_secs}.
 * - pytorch, `add_hparams(h, metrics, run_name='.')`: a second event file in
 *   the run (a second SummaryWriter: its own file_version, counter + 1) with
 *   `_hparams_/experiment` (hparam_infos: name, type; metric_infos: tag),
 *   `_hparams_/session_start_info` (the map only), `_hparams_/session_end_info`
 *   (STATUS_SUCCESS), then each metric as a simple_value scalar. These carry
 *   metadata but no tensor; bools are numbers (1.0) as torch's isinstance
 *   order makes them.
 *
 * Values: numbers (Python float), BigInt (Python int), strings, booleans. The
 * map's entries are written in sorted key order; Python's upb writes them in a
 * per-process hash order, so no single order is "the" layout (the check
 * compares them as a set).
 */
const crypto = require('node:crypto');
const { doubleField, lenField, varintField } = require('./proto');
const { pluginMetadata, summaryEvent } = require('./layouts');
const { pythonSortedCompactJson } = require('./python-json');

const START_TAG = '_hparams_/session_start_info';
const EXPERIMENT_TAG = '_hparams_/experiment';
const END_TAG = '_hparams_/session_end_info';
const DT_FLOAT = 1;
const DATA_TYPE = { string: 1, float64: 3 };
const STATUS_SUCCESS = 1;

/** google.protobuf.Value: number_value (2), string_value (3), bool_value (4). */
function protoValue(v) {
  if (typeof v === 'string') return lenField(3, v);
  if (typeof v === 'boolean') return varintField(4, v ? 1 : 0);
  return doubleField(2, Number(v));
}

const mapEntries = (h) => Object.keys(h).map((k) => lenField(1, lenField(1, k), lenField(2, protoValue(h[k]))));

/** TensorBoard's trial id when none is given: sha256 of json.dumps(h, sort_keys=True, separators=(",", ":")). */
const groupName = (h) => crypto.createHash('sha256').update(pythonSortedCompactJson(h), 'utf8').digest('hex');

/** tf2: the `hp.hparams(h, start_time_secs=…)` event, written at `wallTime`. */
function tf2HparamsEvent(h, wallTime, startTimeSecs) {
  const sorted = Object.fromEntries(
    Object.keys(h)
      .sort()
      .map((k) => [k, h[k]]),
  );
  const info = lenField(3, ...mapEntries(sorted), lenField(4, groupName(h)), doubleField(5, startTimeSecs));
  const nullTensor = lenField(8, varintField(1, DT_FLOAT), lenField(2, lenField(2)));
  return summaryEvent(wallTime, 0, lenField(1, START_TAG), nullTensor, pluginMetadata('hparams', info));
}

/** torch turns every bool and int into a float64 number. */
const torchValue = (v) => (typeof v === 'string' ? v : Number(v));

/**
 * pytorch: the events `add_hparams(h, metrics)` writes after its file_version,
 * at the wall times given (experiment, start, end, then one per metric).
 */
function pytorchHparamsEvents(h, metrics, wallTimes) {
  const names = Object.keys(h);
  const metricTags = Object.keys(metrics);
  if (wallTimes.length !== 3 + metricTags.length) throw new RangeError('one wall time per event');
  const hparamInfos = names.map((k) =>
    lenField(4, lenField(1, k), varintField(4, typeof h[k] === 'string' ? DATA_TYPE.string : DATA_TYPE.float64)),
  );
  const metricInfos = metricTags.map((t) => lenField(5, lenField(1, lenField(2, t))));
  const torchH = Object.fromEntries(names.map((k) => [k, torchValue(h[k])]));
  const events = [
    summaryEvent(
      wallTimes[0],
      0,
      lenField(1, EXPERIMENT_TAG),
      pluginMetadata('hparams', lenField(2, ...hparamInfos, ...metricInfos)),
    ),
    summaryEvent(
      wallTimes[1],
      0,
      lenField(1, START_TAG),
      pluginMetadata('hparams', lenField(3, ...mapEntries(torchH))),
    ),
    summaryEvent(
      wallTimes[2],
      0,
      lenField(1, END_TAG),
      pluginMetadata('hparams', lenField(4, varintField(1, STATUS_SUCCESS))),
    ),
  ];
  metricTags.forEach((t, i) => {
    const value = Buffer.allocUnsafe(5);
    value[0] = 0x15;
    value.writeFloatLE(metrics[t], 1);
    events.push(summaryEvent(wallTimes[3 + i], 0, lenField(1, t), value));
  });
  return events;
}

module.exports = { tf2HparamsEvent, pytorchHparamsEvents, groupName };
