import * as fs from 'node:fs';
import * as path from 'node:path';
import { protoType } from '../../../src/protobuf/schema';
import { encodeRecord } from '../../../src/tfrecord/encode-record';

/**
 * Writes a logdir of `runs` runs, each one event file of `points` scalar
 * points on two tags, PyTorch style. One file is encoded and the others are
 * copies, so a big logdir costs little time to make.
 */
export function writeBigLogdir(dir: string, runs: number, points: number): void {
  const Event = protoType('Event');
  const encode = (fields: Record<string, unknown>): Uint8Array =>
    encodeRecord(Event.encode(Event.fromObject(fields)).finish());
  const parts: Uint8Array[] = [encode({ wallTime: 1700000000, fileVersion: 'brain.Event:2' })];
  for (let step = 0; step < points; step++) {
    const tag = step % 2 === 0 ? 'train/loss' : 'train/accuracy';
    parts.push(
      encode({
        wallTime: 1700000000 + step / 10,
        step,
        summary: { value: [{ tag, simpleValue: Math.sin(step / 100) }] },
      }),
    );
  }
  const bytes = Buffer.concat(parts);
  for (let r = 0; r < runs; r++) {
    const runDir = path.join(dir, `run_${String(r).padStart(3, '0')}`);
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, 'events.out.tfevents.1700000000.big'), bytes);
  }
}
