'use strict';
// A training job for the soak test: appends scalar events to several runs of a
// logdir at a steady pace, as a writer process would. Runs start one after the
// other (new runs appear while the server serves); some records are written
// in two pieces with a pause between (a flush in the middle of a record).
//
//   node soak-writer.js '<json plan>'
//   plan: { logdir, runs: [{ name, steps, seed, startMs }], tickMs, stepsPerTick }
//
// Each run gets one event file; each step is two events, tags `loss` and
// `acc`, whose values are soakValue(seed, tag, step) (the test computes the
// same). Uses the built library (dist/), as `npm test` builds it first.
const fs = require('node:fs');
const path = require('node:path');
const { encodeRecord } = require('../../../dist/src/tfrecord');
const { protoType } = require('../../../dist/src/events');

const Event = protoType('Event');
const encode = (fields) => encodeRecord(Event.encode(Event.fromObject(fields)).finish());

/** Keep in step with soakValue in soak.test.ts. */
function soakValue(seed, tag, step) {
  return Math.fround(Math.sin(step / 50 + seed) * 100 + (tag === 'loss' ? 0 : 1000));
}

const plan = JSON.parse(process.argv[2]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const t0 = Date.now();
  const state = plan.runs.map((run) => ({ run, fd: undefined, next: 0 }));
  let writes = 0;
  while (state.some((s) => s.next < s.run.steps)) {
    for (const s of state) {
      if (s.next >= s.run.steps || Date.now() - t0 < s.run.startMs) continue;
      if (s.fd === undefined) {
        const dir = path.join(plan.logdir, s.run.name);
        fs.mkdirSync(dir, { recursive: true });
        s.fd = fs.openSync(path.join(dir, `events.out.tfevents.${1700000000 + s.run.seed}.soak`), 'a');
        fs.writeSync(s.fd, encode({ wallTime: 1700000000, fileVersion: 'brain.Event:2' }));
      }
      const parts = [];
      const end = Math.min(s.run.steps, s.next + plan.stepsPerTick);
      for (; s.next < end; s.next++) {
        for (const tag of ['loss', 'acc']) {
          parts.push(
            encode({
              wallTime: 1700000000 + s.next,
              step: s.next,
              summary: { value: [{ tag, simpleValue: soakValue(s.run.seed, tag, s.next) }] },
            }),
          );
        }
      }
      const bytes = Buffer.concat(parts);
      if (++writes % 5 === 0 && bytes.length > 20) {
        // A flush that ends inside a record: the reader must wait for the rest.
        const cut = 7 + (writes % (bytes.length - 14));
        fs.writeSync(s.fd, bytes.subarray(0, cut));
        await sleep(3);
        fs.writeSync(s.fd, bytes.subarray(cut));
      } else {
        fs.writeSync(s.fd, bytes);
      }
      if (s.next >= s.run.steps) fs.closeSync(s.fd);
    }
    await sleep(plan.tickMs);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`soak-writer: ${err.stack || err}\n`);
    process.exit(1);
  },
);
