import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { protoType, type EventMsg } from '../../src/protobuf/schema';
import { DATA_CLASS, DT } from '../../src/events/types';
import { EventFileTailer } from '../../src/logdir/event-file-tailer';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { readBlob } from '../../src/store/read-blob';
import { Store } from '../../src/store/store';
import { RecordReader } from '../../src/tfrecord/record-reader';
import { EventWriter } from '../../src/writer';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-writer-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const EventType = protoType('Event');

/** Every Event in a file, with the reader's leftover byte count (0 = whole records only). */
function readEvents(file: string): { events: EventMsg[]; leftover: number } {
  const reader = new RecordReader({
    onWarning: (w) => {
      throw new Error(w.message);
    },
  });
  reader.append(fs.readFileSync(file));
  const events: EventMsg[] = [];
  for (let r = reader.next(); r !== undefined; r = reader.next())
    events.push(EventType.decode(r.data) as unknown as EventMsg);
  return { events, leftover: reader.bufferedBytes };
}

async function load(logdir: string): Promise<Store> {
  const store = new Store();
  const loader = new LogdirLoader(logdir, store);
  await loader.reload();
  loader.finish();
  return store;
}

const clock = () => 1700000000.5;

describe('file layout', () => {
  it('names a new file in a logdir as TensorFlow does and starts it with the file version', () => {
    const w = new EventWriter(path.join(dir, 'run'), { filenameSuffix: '.v2' });
    w.close();
    const name = path.basename(w.path);
    const host = os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(name).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${host}\\.${process.pid}\\.\\d+\\.v2$`));
    expect(fs.readdirSync(path.join(dir, 'run'))).toEqual([name]);
    const { events, leftover } = readEvents(w.path);
    expect(leftover).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]?.fileVersion).toBe('brain.Event:2');
  });

  it('two writers of one logdir in one second get different files', () => {
    const a = new EventWriter(dir, { clock });
    const b = new EventWriter(dir, { clock });
    a.close();
    b.close();
    expect(a.path).not.toBe(b.path);
  });

  it('continues an existing file without a second file_version event', () => {
    const file = path.join(dir, 'events.out.tfevents.1.test');
    const first = new EventWriter(file, { clock });
    first.addScalar('x', 1, 0);
    first.close();
    const second = new EventWriter(file, { clock });
    second.addScalar('x', 2, 1);
    second.close();
    const { events } = readEvents(file);
    expect(events.filter((e) => e.fileVersion !== undefined && e.fileVersion !== '')).toHaveLength(1);
    expect(events.filter((e) => e.summary)).toHaveLength(2);
  });
});

describe('scalars', () => {
  it('reads back both styles with their values, steps, wall times and metadata', async () => {
    const w = new EventWriter(path.join(dir, 'run'), { clock });
    w.addScalar('tf2', 0.1, 3, { wallTime: 12.5, description: 'd' });
    w.addScalar('tf2', 0.2, 4);
    w.addScalar('pt', 0.1, 7, { style: 'simple_value' });
    w.addScalar('f64', 0.1, 0, { dtype: 'float64' });
    w.close();
    const run = (await load(dir)).run('run');
    const tf2 = run?.series.get('tf2');
    expect([...(tf2?.steps.view() ?? [])]).toEqual([3, 4]);
    expect([...(tf2?.wallTimes.view() ?? [])]).toEqual([12.5, 1700000000.5]);
    expect([...(tf2?.values.view() ?? [])]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(tf2?.dtypes.get(0)).toBe(DT.FLOAT);
    expect(run?.metadata.get('tf2')).toMatchObject({
      pluginName: 'scalars',
      dataClass: DATA_CLASS.SCALAR,
      description: 'd',
    });
    expect(run?.series.get('pt')?.values.get(0)).toBe(Math.fround(0.1));
    expect(run?.metadata.get('pt')).toMatchObject({ pluginName: 'scalars', dataClass: DATA_CLASS.SCALAR });
    expect(run?.series.get('f64')?.values.get(0)).toBe(0.1);
    expect(run?.series.get('f64')?.dtypes.get(0)).toBe(DT.DOUBLE);
  });

  it('writes metadata with the first value of each tag only; simple_value never carries it', () => {
    const w = new EventWriter(dir, { clock });
    for (let step = 0; step < 3; step++) {
      w.addScalar('a', step, step);
      w.addScalar('b', step, step);
      w.addScalar('c', step, step, { style: 'simple_value' });
    }
    w.close();
    const withMetadata = readEvents(w.path)
      .events.flatMap((e) => e.summary?.value ?? [])
      .filter((v) => v.metadata)
      .map((v) => v.tag);
    expect(withMetadata).toEqual(['a', 'b']);
  });
});

describe('images, histograms, text', () => {
  it('reads back image bytes, histogram rows and text', async () => {
    const png = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 255);
    const w = new EventWriter(path.join(dir, 'run'), { clock });
    w.addImages('img', [{ encoded: png, width: 5, height: 3 }], 0);
    w.addImage('legacy_img', { encoded: png, width: 5, height: 3 }, 0, { style: 'legacy' });
    w.addHistogram('h', [1, 2, 3, 4], 0, { buckets: 2 });
    w.addHistogram('legacy_h', [1, 1, 1], 0, { style: 'legacy' });
    w.addText('t', 'hello *world*', 0);
    w.close();
    const run = (await load(dir)).run('run');
    for (const tag of ['img', 'legacy_img']) {
      const stored = run?.series.get(tag)?.tensorAt(0);
      expect(run?.metadata.get(tag)?.pluginName).toBe('images');
      if (stored?.tensor.kind !== 'string') throw new Error(`${tag} is not a string tensor`);
      const [wBytes, hBytes, image] = await Promise.all(stored.tensor.values.map((r) => readBlob(stored.file, r)));
      expect(Buffer.from(wBytes as Uint8Array).toString()).toBe('5');
      expect(Buffer.from(hBytes as Uint8Array).toString()).toBe('3');
      expect(Buffer.from(image as Uint8Array)).toEqual(Buffer.from(png));
    }
    const h = run?.series.get('h')?.tensorAt(0)?.tensor;
    expect(h?.shape).toEqual([2, 3]);
    expect(h?.kind === 'numeric' && [...h.values]).toEqual([1, 2.5, 2, 2.5, 4, 2]);
    const legacy = run?.series.get('legacy_h')?.tensorAt(0)?.tensor;
    expect(legacy?.kind === 'numeric' && [...legacy.values]).toEqual([1, 1, 3]);
    const t = run?.series.get('t')?.tensorAt(0)?.tensor;
    expect(run?.metadata.get('t')).toMatchObject({ pluginName: 'text', dataClass: DATA_CLASS.TENSOR });
    expect(t?.kind === 'string' && Buffer.from(t.values[0]?.inline ?? []).toString()).toBe('hello *world*');
  });
});

describe('buffering and live tails', () => {
  it('holds up to maxQueue records, then writes them whole in one go', () => {
    const w = new EventWriter(dir, { clock, maxQueue: 3, flushMillis: 60_000 });
    const header = fs.statSync(w.path).size;
    w.addScalar('x', 1, 0);
    w.addScalar('x', 2, 1);
    expect(fs.statSync(w.path).size).toBe(header);
    w.addScalar('x', 3, 2);
    expect(fs.statSync(w.path).size).toBeGreaterThan(header);
    expect(readEvents(w.path)).toMatchObject({ leftover: 0, events: { length: 4 } });
    w.close();
  });

  it('writes buffered records after flushMillis', async () => {
    const w = new EventWriter(dir, { clock, maxQueue: 100, flushMillis: 5 });
    w.addScalar('x', 1, 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(readEvents(w.path).events).toHaveLength(2);
    w.close();
  });

  it('a tail sees only whole records after every flush', async () => {
    const w = new EventWriter(dir, { clock, maxQueue: 1000 });
    const seen: number[] = [];
    const warnings: unknown[] = [];
    const tailer = new EventFileTailer(
      w.path,
      'f',
      (ev) => ev.kind === 'summary' && seen.push(ev.step),
      (x) => warnings.push(x),
    );
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 7; i++) w.addScalar('x', i, batch * 7 + i);
      w.flush();
      await tailer.readNew();
      expect(seen).toHaveLength((batch + 1) * 7);
      expect(readEvents(w.path).leftover).toBe(0);
    }
    w.close();
    tailer.finish();
    expect(warnings).toEqual([]);
  });
});

describe('bad input', () => {
  it('rejects empty tags, fractional or unsafe steps, non-numbers and writes after close', () => {
    const w = new EventWriter(dir, { clock });
    expect(() => w.addScalar('', 1, 0)).toThrow(/tag/);
    expect(() => w.addScalar('x', 1, 1.5)).toThrow(/step/);
    expect(() => w.addScalar('x', 1, 2 ** 60)).toThrow(/step/);
    expect(() => w.addScalar('x', '1' as unknown as number, 0)).toThrow(/number/);
    expect(() => w.addHistogram('h', [1], 0, { buckets: -1 })).toThrow(/buckets/);
    expect(() => w.addImages('i', [], 0, { style: 'legacy' })).toThrow(/one image/);
    w.close();
    w.close();
    expect(() => w.addScalar('x', 1, 0)).toThrow(/closed/);
    expect(readEvents(w.path).events).toHaveLength(1);
  });
});
