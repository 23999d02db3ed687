import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOGDIRS } from '../support/golden-form';
import { RecordBuilder, scalarEvent } from '../support/record-builder';
import { BIN, runCli } from '../support/run-cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('featherboard export', () => {
  it('writes scalars as JSON Lines to stdout by default, exit 0', () => {
    const r = runCli(['export', '--logdir', path.join(LOGDIRS, 'keras')]);
    expect(r.status).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(5);
    expect(new Set(rows.map((row) => row.run))).toEqual(new Set(['train', 'validation']));
  });

  it('filters runs and tags by regex and writes CSV to a file', () => {
    const out = path.join(tmp, 'loss.csv');
    const r = runCli([
      'export',
      '--logdir',
      path.join(LOGDIRS, 'keras'),
      '--format',
      'csv',
      '--runs',
      '^val',
      '--tags',
      'loss',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('run,tag,step,wall_time,value');
    expect(lines.slice(1).every((l) => l.startsWith('validation,') && l.includes('loss'))).toBe(true);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('writes several plugins, images and audio into a folder with an index', () => {
    const out = path.join(tmp, 'all');
    const r = runCli([
      'export',
      '--logdir',
      path.join(LOGDIRS, 'pytorch'),
      '--plugins',
      'scalars,histograms,text,pr_curves,hparams,images,audio',
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const p of ['scalars', 'histograms', 'text', 'pr_curves', 'hparams', 'images', 'audio'])
      expect(fs.existsSync(path.join(out, `${p}.jsonl`))).toBe(true);
    const images = fs
      .readFileSync(path.join(out, 'images.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; width: number });
    expect(images.length).toBeGreaterThan(0);
    const png = fs.readFileSync(path.join(out, images[0]?.file as string));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(images[0]?.width).toBeGreaterThan(0);
    const audio = fs
      .readFileSync(path.join(out, 'audio.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string });
    expect(
      fs
        .readFileSync(path.join(out, audio[0]?.file as string))
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
    const hist = JSON.parse(fs.readFileSync(path.join(out, 'histograms.jsonl'), 'utf8').split('\n')[0] as string) as {
      buckets: number[][];
    };
    expect(hist.buckets[0]).toHaveLength(3);
    const pr = JSON.parse(fs.readFileSync(path.join(out, 'pr_curves.jsonl'), 'utf8').split('\n')[0] as string) as {
      thresholds: number[];
      precision: number[];
    };
    expect(pr.thresholds[0]).toBe(0);
    expect(pr.thresholds[pr.thresholds.length - 1]).toBe(1);
    expect(pr.precision).toHaveLength(pr.thresholds.length);
    const hp = JSON.parse(fs.readFileSync(path.join(out, 'hparams.jsonl'), 'utf8').split('\n')[0] as string) as {
      hparams: Record<string, unknown>;
    };
    expect(Object.keys(hp.hparams).length).toBeGreaterThan(0);
    const texts = fs
      .readFileSync(path.join(out, 'text.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(texts.some((t) => JSON.stringify(t).includes('|---|'))).toBe(true);
  });

  it.each([
    [['export'], /--logdir is required/],
    [['export', '--logdir', '/no/such/dir'], /--logdir: '\/no\/such\/dir' does not exist/],
    [['export', '--logdir', LOGDIRS, '--bogus'], /unknown option/],
    [['export', '--logdir', LOGDIRS, '--format', 'xml'], /--format must be one of/],
    [['export', '--logdir', LOGDIRS, '--plugins', 'scalars,videos'], /unknown plugin 'videos'/],
    [['export', '--logdir', LOGDIRS, '--plugins', 'images'], /--out DIR is required/],
    [['export', '--logdir', LOGDIRS, '--runs', '('], /--runs: invalid regular expression/],
  ])('usage error %j: one clear line, exit 2', (args, message) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('summarises data warnings on stderr, exit 0; --strict makes it exit 1', () => {
    const damaged = path.join(LOGDIRS, 'damaged');
    const lax = runCli(['export', '--logdir', damaged]);
    expect(lax.status).toBe(0);
    expect(lax.stderr).toMatch(/DATA_CRC_MISMATCH flipped_data_byte\/\S+@812/);
    const strict = runCli(['export', '--logdir', damaged, '--strict']);
    expect(strict.status).toBe(1);
  });

  it('--strict stops at the first data warning: one line naming it, exit 1, no output file', () => {
    const damaged = path.join(LOGDIRS, 'damaged');
    const firstWarning = (runCli(['export', '--logdir', damaged]).stderr.split('\n')[1] as string).trim();
    expect(firstWarning).toMatch(/^[A-Z_]+ \S+@\d+: /);
    const out = path.join(tmp, 'strict.csv');
    const r = runCli(['export', '--logdir', damaged, '--strict', '--format', 'csv', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`featherboard: export stopped at a data warning (--strict): ${firstWarning}\n`);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('strict'))).toEqual([]);
  });

  it('exits quietly when the reader closes the pipe', () => {
    // Far more output than a pipe buffers, so the writer does meet the closed pipe.
    const big = path.join(tmp, 'big');
    fs.mkdirSync(big);
    const b = new RecordBuilder().event({ wallTime: 1, fileVersion: 'brain.Event:2' });
    for (let step = 0; step < 30000; step++) b.event(scalarEvent('loss', step, step / 7));
    fs.writeFileSync(path.join(big, 'events.out.tfevents.1.test'), b.build());
    const exportBig = `"${process.execPath}" "${BIN}" export --logdir "${big}"`;
    const r = spawnSync('bash', ['-c', `${exportBig} | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/status=0/);
    expect(r.stderr).toBe('');
  });
});
