import * as fs from 'node:fs';
import { protoType } from '../../../src/protobuf/schema';
import { encodeRecord } from '../../../src/tfrecord/encode-record';

/** One framed Event record, encoded as a real writer would. */
export function eventRecord(event: Record<string, unknown>): Uint8Array {
  const Event = protoType('Event');
  return encodeRecord(Event.encode(Event.fromObject(event)).finish());
}

export function fileVersionRecord(wallTime: number): Uint8Array {
  return eventRecord({ wallTime, step: 0, fileVersion: 'brain.Event:2' });
}

export function scalarRecord(tag: string, step: number, value: number, wallTime = 1_700_000_000 + step): Uint8Array {
  return eventRecord({ wallTime, step, summary: { value: [{ tag, simpleValue: value }] } });
}

/** Append bytes and flush them to the file system, as a writer's flush() does. */
export function appendFlushed(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, 'a');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
