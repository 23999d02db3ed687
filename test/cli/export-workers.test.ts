import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportLogdir } from '../../src/export/export-logdir';
import { EventWriter } from '../../src/writer/event-writer';
import { LOGDIRS } from '../support/golden-form';
import { runCli } from '../support/run-cli';

/**
 * The CLI formats scalar rows on a worker thread when there is enough to read
 * (FORMAT_WORKER_MIN_BYTES), started before the CLI loads (prestart.ts); an
 * export told to format in-thread must write the same files, for every table
 * plugin, damaged and restarted runs included.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-export-workers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('exports on a worker thread exactly as in-thread', async () => {
  const logdir = path.join(tmp, 'logdir');
  fs.cpSync(LOGDIRS, logdir, { recursive: true });
  // Enough points that the CLI keeps its formatting worker (see FORMAT_WORKER_MIN_BYTES).
  const big = path.join(logdir, 'zz_big', 'events.out.tfevents.1700000000.test.1.0');
  const w = new EventWriter(big, { clock: () => 1700000000, scalarStyle: 'simple_value', maxQueue: 4096 });
  for (let step = 0; step < 120_000; step++) {
    w.addScalar('a', Math.sin(step), step, { wallTime: 1700000000 + step * 0.05 });
    w.addScalar('b', step % 7 === 0 ? -0 : 1 / (step + 1), step, { wallTime: 1700000000 + step * 0.05 });
  }
  w.close();
  expect(fs.statSync(big).size).toBeGreaterThan(8 * 1024 * 1024);

  const plugins = 'scalars,histograms,text,pr_curves,hparams';
  for (const format of ['csv', 'jsonl'] as const) {
    const viaWorker = path.join(tmp, `worker-${format}`);
    const r = runCli(['export', '--logdir', logdir, '--format', format, '--plugins', plugins, '--out', viaWorker]);
    expect(r.status).toBe(0);
    const inThread = path.join(tmp, `thread-${format}`);
    await exportLogdir({
      logdir,
      format,
      plugins: plugins.split(',') as never,
      out: inThread,
      purgeOrphanedData: true,
      formatOnWorker: false,
      onWarning: () => {},
    });
    for (const p of plugins.split(',')) {
      const file = `${p}.${format}`;
      expect(fs.readFileSync(path.join(viaWorker, file), 'utf8')).toBe(
        fs.readFileSync(path.join(inThread, file), 'utf8'),
      );
    }
  }
});
