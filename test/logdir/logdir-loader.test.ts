import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverRuns } from '../../src/logdir/discover-runs';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { Store, type StoreChange } from '../../src/store/store';
import { RecordBuilder, scalarEvent } from '../support/record-builder';

let logdir: string;
beforeEach(() => {
  logdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-logdir-'));
});
afterEach(() => fs.rmSync(logdir, { recursive: true, force: true }));

function eventsBytes(tag: string, from: number, to: number, header = from === 0): Uint8Array {
  const b = new RecordBuilder();
  if (header) b.event({ wallTime: 1, fileVersion: 'brain.Event:2' });
  for (let s = from; s < to; s++) b.event(scalarEvent(tag, s, s * 2));
  return b.build();
}

function write(rel: string, bytes: Uint8Array, append = false): void {
  const full = path.join(logdir, rel);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  if (append) fs.appendFileSync(full, bytes);
  else fs.writeFileSync(full, bytes);
}

const steps = (store: Store, run: string, tag: string): number[] =>
  Array.from(store.run(run)?.series.get(tag)?.steps.view() ?? []);

describe('discoverRuns', () => {
  it('finds runs at any depth, names them by relative path, and ignores other files', async () => {
    write('events.out.tfevents.1.a', eventsBytes('x', 0, 1));
    write('deep/er/run/events.out.tfevents.2.b', eventsBytes('x', 0, 1));
    write('deep/notes.txt', new TextEncoder().encode('hello'));
    write('other/events.out.tfevents.3.c.profile-empty', new Uint8Array(0));
    fs.mkdirSync(path.join(logdir, 'empty'));
    const runs = await discoverRuns(logdir);
    expect(runs.map((r) => r.name)).toEqual(['.', 'deep/er/run']);
  });

  it('reads a run’s files in name order', async () => {
    write('r/events.out.tfevents.20.b', eventsBytes('x', 5, 6, true));
    write('r/events.out.tfevents.10.a', eventsBytes('x', 0, 2));
    const [run] = await discoverRuns(logdir);
    expect(run?.files.map((f) => path.basename(f))).toEqual(['events.out.tfevents.10.a', 'events.out.tfevents.20.b']);
  });

  it('reports an unreadable directory and goes on', async () => {
    write('ok/events.out.tfevents.1.a', eventsBytes('x', 0, 1));
    write('locked/events.out.tfevents.1.a', eventsBytes('x', 0, 1));
    // Tests run as root here, which reads anything: make the listing fail instead of chmod.
    const realReaddir = fs.promises.readdir;
    const spy = jest.spyOn(fs.promises, 'readdir').mockImplementation(((dir: fs.PathLike, options: unknown) => {
      if (String(dir).endsWith(`${path.sep}locked`))
        return Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
      return (realReaddir as (d: fs.PathLike, o: unknown) => Promise<unknown>)(dir, options);
    }) as typeof fs.promises.readdir);
    try {
      const warnings: string[] = [];
      const runs = await discoverRuns(logdir, (w) => warnings.push(`${w.code} ${w.file} ${w.message}`));
      expect(runs.map((r) => r.name)).toEqual(['ok']);
      expect(warnings).toEqual(['UNREADABLE_PATH locked cannot list directory: EACCES']);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('LogdirLoader', () => {
  it('reads appended bytes incrementally, completing a partial record when its bytes arrive', async () => {
    const bytes = eventsBytes('loss', 0, 10);
    write('run/events.out.tfevents.1.host', bytes.subarray(0, 100));
    const store = new Store();
    const loader = new LogdirLoader(logdir, store);
    const first = await loader.reload();
    const partial = steps(store, 'run', 'loss');
    expect(partial.length).toBeLessThan(10);
    write('run/events.out.tfevents.1.host', bytes.subarray(100), true);
    const second = await loader.reload();
    expect(steps(store, 'run', 'loss')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Never a whole file again: the two reads add up to the file.
    expect(first.bytesRead + second.bytesRead).toBe(bytes.length);
    expect(store.warnings).toEqual([]);
  });

  it('announces new runs and new data, and forgets deleted runs', async () => {
    write('a/events.out.tfevents.1.h', eventsBytes('x', 0, 3));
    const store = new Store();
    const changes: StoreChange[] = [];
    store.onChange((c) => changes.push(c));
    const loader = new LogdirLoader(logdir, store);
    await loader.reload();
    write('b/events.out.tfevents.1.h', eventsBytes('y', 0, 2));
    await loader.reload();
    expect(store.runNames()).toEqual(['a', 'b']);
    expect(changes).toContainEqual({ type: 'run-added', run: 'b' });
    expect(changes).toContainEqual({ type: 'data', run: 'b', tags: ['y'] });
    fs.rmSync(path.join(logdir, 'a'), { recursive: true });
    await loader.reload();
    expect(store.runNames()).toEqual(['b']);
    expect(changes).toContainEqual({ type: 'run-removed', run: 'a' });
  });

  it('reads a truncated or rewritten file again from the start', async () => {
    write('r/events.out.tfevents.1.h', eventsBytes('x', 0, 8));
    const store = new Store();
    const loader = new LogdirLoader(logdir, store);
    await loader.reload();
    write('r/events.out.tfevents.1.h', eventsBytes('x', 0, 3));
    await loader.reload();
    expect(steps(store, 'r', 'x')).toEqual([0, 1, 2]);
    expect(store.warnings.map((w) => w.code)).toEqual(['FILE_SHRANK']);
  });

  it('notices a file rewritten in place that grew past its old size before the next look', async () => {
    const first = new RecordBuilder().event({ wallTime: 1, fileVersion: 'brain.Event:2' });
    for (let s = 0; s < 8; s++) first.event(scalarEvent('x', s, 1));
    write('r/events.out.tfevents.1.h', first.build());
    const store = new Store();
    const loader = new LogdirLoader(logdir, store);
    await loader.reload();
    // Same file, same inode, rewritten by a new job: other first record, more points.
    const second = new RecordBuilder().event({ wallTime: 2, fileVersion: 'brain.Event:2' });
    for (let s = 0; s < 12; s++) second.event(scalarEvent('x', s, 2));
    write('r/events.out.tfevents.1.h', second.build());
    await loader.reload();
    const series = store.run('r')?.series.get('x');
    expect(steps(store, 'r', 'x')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(series?.values.view() ?? [])).toEqual(new Array(12).fill(2));
    expect(store.warnings.map((w) => w.code)).toEqual(['FILE_SHRANK']);
  });

  it('replays a run when a file appears before one already read', async () => {
    write('r/events.out.tfevents.20.h', eventsBytes('x', 5, 7, true));
    const store = new Store();
    const loader = new LogdirLoader(logdir, store);
    await loader.reload();
    write('r/events.out.tfevents.10.h', eventsBytes('x', 0, 2));
    await loader.reload();
    expect(steps(store, 'r', 'x')).toEqual([0, 1, 5, 6]);
  });

  it('shares one pass between concurrent reloads and reads each point once', async () => {
    write('r/events.out.tfevents.1.h', eventsBytes('x', 0, 50));
    const store = new Store();
    const loader = new LogdirLoader(logdir, store);
    await Promise.all([loader.reload(), loader.reload(), loader.reload()]);
    expect(steps(store, 'r', 'x')).toHaveLength(50);
  });
});
