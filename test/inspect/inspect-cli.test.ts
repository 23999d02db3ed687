import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOGDIRS } from '../support/golden-form';
import { runCli } from '../support/run-cli';

describe('featherboard inspect', () => {
  it('tells runs, tags, counts and steps, and every damage with its offset', () => {
    const r = runCli(['inspect', '--logdir', path.join(LOGDIRS, 'damaged')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/run flipped_length_byte/);
    expect(r.stdout).toMatch(/loss: 12 points, steps 0\.\.11/);
    expect(r.stdout).toMatch(/LENGTH_CRC_MISMATCH flipped_length_byte\/\S+@812/);
    expect(r.stdout).toMatch(/TRUNCATED_TAIL cut_tail\/\S+@1550/);
  });

  it('inspects a single event file as JSON', () => {
    const dir = path.join(LOGDIRS, 'damaged', 'intact');
    const file = fs.readdirSync(dir).find((f) => f.includes('tfevents')) as string;
    const r = runCli(['inspect', '--event_file', path.join(dir, file), '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { runs: { plugins: Record<string, { tag: string; count: number }[]> }[] };
    expect(report.runs[0]?.plugins.scalars?.map((t) => [t.tag, t.count])).toEqual([
      ['loss', 12],
      ['acc', 12],
    ]);
  });

  it('--strict exits 1 when anything is damaged, after the whole report', () => {
    const damaged = runCli(['inspect', '--logdir', path.join(LOGDIRS, 'damaged'), '--strict']);
    expect(damaged.status).toBe(1);
    expect(damaged.stdout).toBe(runCli(['inspect', '--logdir', path.join(LOGDIRS, 'damaged')]).stdout);
    const intact = runCli(['inspect', '--logdir', path.join(LOGDIRS, 'damaged', 'intact'), '--strict']);
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/no damage found\n$/);
  });

  it('needs exactly one of --logdir and --event_file', () => {
    expect(runCli(['inspect']).status).toBe(2);
  });
});
