#!/usr/bin/env node
'use strict';
/**
 * For bench/check-corpus-layout.py: reads a JSON list of files to write from
 * stdin and writes each with the bench's encoder. A file is
 * { dir, writer, name: {secs, host, pid, counter}, fileVersionWallTime, events }
 * and an event one of
 *   { scalar: [tag, step, wallTime, value], description? }   (value: a number, or 16 hex digits of a
 *                                                              little-endian double, for NaN and infinities)
 *   { tf2Hparams: [[name, "float"|"int"|"str"|"bool", value], …], wallTime, startTimeSecs }
 *   { pytorchHparams: [[name, type, value], …], metrics: [[tag, value], …], wallTimes }
 * Prints the paths written, one a line.
 */
const fs = require('node:fs');
const { EventFile } = require('./event-file');
const { pytorchHparamsEvents, tf2HparamsEvent } = require('./hparams');

/** Python types carried through JSON: ints as BigInt, the rest as they are. */
const hparamsDict = (list) => Object.fromEntries(list.map(([k, type, v]) => [k, type === 'int' ? BigInt(v) : v]));

const double = (x) => (typeof x === 'string' ? Buffer.from(x, 'hex').readDoubleLE(0) : x);

const files = JSON.parse(fs.readFileSync(0, 'utf8'));
for (const f of files) {
  const out = new EventFile(f.dir, f.writer, f.name, f.fileVersionWallTime);
  for (const e of f.events) {
    if (e.scalar) out.scalar(e.scalar[0], e.scalar[1], e.scalar[2], double(e.scalar[3]), e.description);
    else if (e.tf2Hparams) out.event(tf2HparamsEvent(hparamsDict(e.tf2Hparams), e.wallTime, e.startTimeSecs));
    else if (e.pytorchHparams) {
      const metrics = Object.fromEntries(e.metrics);
      for (const b of pytorchHparamsEvents(hparamsDict(e.pytorchHparams), metrics, e.wallTimes)) out.event(b);
    } else throw new Error(`unknown event ${JSON.stringify(e).slice(0, 200)}`);
  }
  out.close();
  process.stdout.write(`${out.path}\n`);
}
