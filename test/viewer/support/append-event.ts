import { promises as fs } from 'node:fs';
import { protoType } from '../../../src/protobuf/schema';
import { encodeRecord } from '../../../src/tfrecord/encode-record';

/** Append one legacy scalar (simple_value) event to an event file, as a writer flushing would. */
export async function appendScalar(file: string, tag: string, step: number, value: number): Promise<void> {
  const Event = protoType('Event');
  const payload = Event.encode(
    Event.create({ wallTime: Date.now() / 1000, step, summary: { value: [{ tag, simpleValue: value }] } }),
  ).finish();
  await fs.appendFile(file, encodeRecord(payload));
}
