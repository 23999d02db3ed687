'use strict';
/**
 * How each real writer lays out its files and records, byte for byte, as
 * found by writing with them (tensorflow 2.21, torch 2.13, tensorboardX 2.6.5)
 * and dumping what they wrote; bench/check-corpus-layout.py proves it
 * record by record. Summary of the facts (bench/README.md has the evidence):
 *
 * - Every Event is wall_time (1), step (2), then file_version (3) or summary
 *   (5), source_metadata (10): field-number order. Step 0 is not on the wire
 *   (proto3 default): the point is there, its step field is not.
 * - tf2 (`tf.summary.scalar`, also Keras' TensorBoard callback): file
 *   `events.out.tfevents.<secs, 10 digits>.<host>.<pid>.<n>.v2`; the
 *   file_version event's wall time is whole seconds (the file name's), record
 *   wall times are whole microseconds / 1e6; each value is a DT_FLOAT rank-0
 *   tensor in tensor_content, with an empty tensor_shape written, and EVERY
 *   value (not only the first) carries metadata with the plugin name
 *   "scalars" only (plus summary_description when one is passed).
 * - pytorch (`torch.utils.tensorboard.SummaryWriter.add_scalar`): file
 *   `events.out.tfevents.<secs>.<host>.<pid>.<n>` (n counts writers in the
 *   process), file_version with source_metadata
 *   "tensorboard.summary.writer.event_file_writer", wall times straight from
 *   time.time(); each value is a bare simple_value, never metadata.
 * - tensorboardx (`tensorboardX.SummaryWriter.add_scalar`): file
 *   `events.out.tfevents.<first 10 characters of str(time.time())>.<host>`,
 *   file_version without source_metadata, values as pytorch's.
 */
const { doubleField, lenField, varintField, writeVarint } = require('./proto');

const FILE_VERSION = 'brain.Event:2';
const DT_FLOAT = 1;
const NONE = Buffer.alloc(0);

/** An Event: wall_time, step (absent when 0), then the payload fields. */
function event(wallTime, step, ...payload) {
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`step ${step}: the bench writes steps ≥ 0`);
  return Buffer.concat([doubleField(1, wallTime), step === 0 ? NONE : varintField(2, step), ...payload]);
}

/** An Event holding a Summary of one value (its fields given in order). */
const summaryEvent = (wallTime, step, ...valueFields) =>
  event(wallTime, step, lenField(5, lenField(1, ...valueFields)));

/** The metadata the hparams plugin's summaries carry: plugin name and its content bytes. */
const pluginMetadata = (name, content) =>
  lenField(9, lenField(1, lenField(1, name), ...(content ? [lenField(2, content)] : [])));

/**
 * A scalar record split around its 4 value bytes, so the hot path copies the
 * constant parts: data = 0x09 wall(8) [0x10 step] head value(4) tail.
 */
function template(valueBefore, valueAfter) {
  const full = lenField(5, lenField(1, valueBefore, Buffer.alloc(4), valueAfter));
  const head = full.subarray(0, full.length - 4 - valueAfter.length);
  return { head, tail: Buffer.from(valueAfter), maxLength: 1 + 8 + 1 + 10 + full.length };
}

/** Writes a scalar record's data from a template at `at`; returns the end. */
function fillScalar(buf, at, t, step, wallTime, value) {
  buf[at] = 0x09;
  buf.writeDoubleLE(wallTime, at + 1);
  at += 9;
  if (step !== 0) {
    buf[at++] = 0x10;
    at = writeVarint(buf, at, step);
  }
  const { head, tail } = t;
  for (let i = 0; i < head.length; i++) buf[at++] = head[i];
  buf.writeFloatLE(value, at);
  at += 4;
  for (let i = 0; i < tail.length; i++) buf[at++] = tail[i];
  return at;
}

const tf2 = {
  name: 'tf2',
  fileName: ({ secs, host, pid, counter }) =>
    `events.out.tfevents.${String(secs).padStart(10, '0')}.${host}.${pid}.${counter}.v2`,
  /** TensorFlow's C++ EventsWriter: whole seconds, its own source_metadata. */
  fileVersion: (secs) =>
    event(secs, 0, lenField(3, FILE_VERSION), lenField(10, lenField(1, 'tensorflow.core.util.events_writer'))),
  /** `tf.summary.scalar(tag, v, step, description=…)`: a float32 tensor and the scalars metadata, every time. */
  scalarTemplate(tag, description) {
    const tensorUpToContent = Buffer.concat([varintField(1, DT_FLOAT), lenField(2), Buffer.from([0x22, 4])]);
    const tensorKey = Buffer.from([0x42, tensorUpToContent.length + 4]);
    const metadata = lenField(
      9,
      lenField(1, lenField(1, 'scalars')),
      ...(description ? [lenField(3, description)] : []),
    );
    return template(Buffer.concat([lenField(1, tag), tensorKey, tensorUpToContent]), metadata);
  },
  /** A wall time as TensorFlow takes it: microseconds since the epoch / 1e6. */
  wallTime: (seconds) => Math.round(seconds * 1e6) / 1e6,
};

const pytorch = {
  name: 'pytorch',
  fileName: ({ secs, host, pid, counter }) =>
    `events.out.tfevents.${String(secs).padStart(10, '0')}.${host}.${pid}.${counter}`,
  /** tensorboard.summary.writer.EventFileWriter (which torch uses): time.time(), its source_metadata. */
  fileVersion: (wallTime) =>
    event(
      wallTime,
      0,
      lenField(3, FILE_VERSION),
      lenField(10, lenField(1, 'tensorboard.summary.writer.event_file_writer')),
    ),
  /** `add_scalar(tag, v, step)`: a bare simple_value (float32), no metadata. */
  scalarTemplate: (tag) => template(Buffer.concat([lenField(1, tag), Buffer.from([0x15])]), NONE),
  wallTime: (seconds) => seconds,
};

const tensorboardx = {
  ...pytorch,
  name: 'tensorboardx',
  /** `str(time.time())[:10]`: the whole seconds for any date between 2001 and 2286. */
  fileName: ({ secs, host }) => `events.out.tfevents.${String(secs).slice(0, 10)}.${host}`,
  fileVersion: (wallTime) => event(wallTime, 0, lenField(3, FILE_VERSION)),
};

const LAYOUTS = { tf2, pytorch, tensorboardx };

module.exports = { LAYOUTS, event, summaryEvent, pluginMetadata, fillScalar };
