/**
 * Runs read on worker threads (the bundled dist/load-worker.js, the script the
 * shipped CLI runs; jest's global setup rebuilds it when src/ is newer) must
 * leave the store exactly as reading them here does, and the files must tail
 * on from where the workers stopped — partial records included.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assetPath } from '../../src/assets';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { readRunState } from '../../src/logdir/read-run-state';
import { RunWorkerPool } from '../../src/logdir/worker-pool';
import { Store } from '../../src/store/store';
import { LOGDIRS } from '../support/golden-form';
import { fileVersionRecord, scalarRecord } from '../server/support/event-writer';

interface Loaded {
  store: Store;
  loader: { reload(): Promise<unknown>; finish(): void; close(): void };
}

function inThread(logdir: string): Loaded {
  const store = new Store();
  return { store, loader: new LogdirLoader(logdir, store) };
}

function onWorkers(logdir: string): Loaded {
  const store = new Store();
  return { store, loader: new LogdirLoader(logdir, store, { workers: true }) };
}

/** Everything the store holds, as plain data. */
function contents(store: Store): unknown {
  return {
    runs: store.runNames().map((name) => ({ name, ...store.run(name)?.toState() })),
    warnings: store.warnings,
    warningCount: store.warningCount,
  };
}

it('reads runs on threads of the bundled worker script', async () => {
  expect(assetPath('loadWorker')).toBe(path.resolve(__dirname, '..', '..', 'dist', 'load-worker.js'));
  const pool = new RunWorkerPool(assetPath('loadWorker'), 1);
  try {
    const dir = path.join(LOGDIRS, 'keras', 'train');
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const job = {
      logdir: path.join(LOGDIRS, 'keras'),
      name: 'train',
      files,
      options: { purgeOrphanedData: true },
      finish: true,
    };
    const result = await pool.read(job);
    expect(result.events).toBeGreaterThan(0);
    expect(result).toEqual(await readRunState(job));
  } finally {
    await pool.close();
  }
});

it('reads every fixture logdir on workers exactly as in-thread, warnings and purges included', async () => {
  const a = inThread(LOGDIRS);
  const b = onWorkers(LOGDIRS);
  await a.loader.reload();
  await b.loader.reload();
  expect(contents(b.store)).toEqual(contents(a.store));
  a.loader.finish();
  b.loader.finish();
  expect(contents(b.store)).toEqual(contents(a.store));
  expect(a.store.runNames().length).toBeGreaterThan(2);
});

describe('tailing on after a worker read', () => {
  let logdir: string;
  beforeEach(() => {
    logdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-workers-'));
  });
  afterEach(() => fs.rmSync(logdir, { recursive: true, force: true }));

  const file = (run: string) => path.join(logdir, run, 'events.out.tfevents.1.host');
  const records = (tag: string, from: number, to: number) =>
    Buffer.concat(Array.from({ length: to - from }, (_, i) => scalarRecord(tag, from + i, (from + i) / 7)));

  it('continues a partial record and later appends as an in-thread loader does', async () => {
    for (const run of ['a', 'b', 'c']) {
      fs.mkdirSync(path.join(logdir, run));
      fs.writeFileSync(file(run), Buffer.concat([fileVersionRecord(1), records('loss', 0, 50)]));
    }
    // Run b ends in the middle of a record: the worker must hand over its first half.
    const split = scalarRecord('loss', 50, 50 / 7);
    fs.appendFileSync(file('b'), split.subarray(0, 9));
    const a = inThread(logdir);
    const w = onWorkers(logdir);
    await a.loader.reload();
    await w.loader.reload();
    expect(contents(w.store)).toEqual(contents(a.store));
    expect(w.store.run('b')?.series.get('loss')?.length).toBe(50);

    fs.appendFileSync(file('b'), Buffer.concat([split.subarray(9), records('loss', 51, 60)]));
    fs.appendFileSync(file('a'), records('loss', 50, 55));
    await a.loader.reload();
    await w.loader.reload();
    expect(contents(w.store)).toEqual(contents(a.store));
    expect(w.store.run('b')?.series.get('loss')?.length).toBe(60);

    // A tail left partial is reported by finish(), by both.
    fs.appendFileSync(file('c'), scalarRecord('loss', 50, 1).subarray(0, 5));
    await a.loader.reload();
    await w.loader.reload();
    a.loader.finish();
    w.loader.finish();
    expect(contents(w.store)).toEqual(contents(a.store));
    expect(w.store.warnings.map((x) => x.code)).toContain('TRUNCATED_TAIL');
  });
});
