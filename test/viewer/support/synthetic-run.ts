import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { protoType } from '../../../src/protobuf/schema';
import { encodeRecord } from '../../../src/tfrecord/encode-record';

/** What one step of a synthetic run holds. */
export interface SyntheticStep {
  step: number;
  scalars?: Record<string, number>;
  /** Legacy HistogramProto: bucket right edges and counts. */
  histograms?: Record<string, { min: number; max: number; bucketLimit: number[]; bucket: number[] }>;
}

/**
 * One event file, as a writer would flush it (file_version first, then legacy
 * simple_value / histo summaries), for series longer than the fixtures hold.
 */
export async function writeSyntheticRun(dir: string, steps: Iterable<SyntheticStep>): Promise<void> {
  const Event = protoType('Event');
  const records: Buffer[] = [];
  const put = (e: object): void => void records.push(Buffer.from(encodeRecord(Event.encode(Event.create(e)).finish())));
  const t0 = 1_700_000_000;
  put({ wallTime: t0, fileVersion: 'brain.Event:2' });
  for (const s of steps) {
    const value = [
      ...Object.entries(s.scalars ?? {}).map(([tag, simpleValue]) => ({ tag, simpleValue })),
      ...Object.entries(s.histograms ?? {}).map(([tag, h]) => ({
        tag,
        histo: { ...h, num: h.bucket.reduce((a, b) => a + b, 0) },
      })),
    ];
    put({ wallTime: t0 + 1 + s.step * 0.01, step: s.step, summary: { value } });
  }
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `events.out.tfevents.${t0}.synthetic.1.v2`), Buffer.concat(records));
}
