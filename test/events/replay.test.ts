import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventFileDecoder } from '../../src/events/decode-event';
import type { DecodedEvent } from '../../src/events/types';
import { isEventFileName } from '../../src/logdir/discover-runs';
import { RecordReader } from '../../src/tfrecord/record-reader';
import type { DataWarning } from '../../src/warnings';
import { LOGDIRS } from '../support/golden-form';

function eventFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...eventFiles(full));
    else if (isEventFileName(e.name)) out.push(full);
  }
  return out.sort();
}

/** Decode a whole file fed in chunks of `chunk` bytes; a comparable JSON text of everything produced. */
function replay(bytes: Uint8Array, chunk: number): string {
  const warnings: DataWarning[] = [];
  const events: DecodedEvent[] = [];
  const reader = new RecordReader({ onWarning: (w) => warnings.push(w) });
  const decoder = new EventFileDecoder((w) => warnings.push(w));
  for (let at = 0; at < bytes.length; at += chunk) {
    reader.append(bytes.slice(at, at + chunk));
    for (let r = reader.next(); r !== undefined; r = reader.next())
      events.push(...decoder.decode(r.data, r.offset + 12));
  }
  reader.finish();
  return JSON.stringify({ events, warnings }, (_k, v: unknown) =>
    ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v,
  );
}

const FILES = eventFiles(LOGDIRS);

it('has fixture files to replay', () => {
  expect(FILES.length).toBeGreaterThan(20);
});

describe.each(FILES.map((f) => [path.relative(LOGDIRS, f), f]))('%s', (_name, file) => {
  it('decodes identically all at once, byte by byte and in odd chunks', () => {
    const bytes = fs.readFileSync(file);
    const whole = replay(bytes, Math.max(bytes.length, 1));
    expect(replay(bytes, 1)).toBe(whole);
    expect(replay(bytes, 7)).toBe(whole);
    expect(replay(bytes, 4093)).toBe(whole);
  });
});
