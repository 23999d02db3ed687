import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { Store } from '../../src/store/store';
import { LOGDIRS, readGolden, storeForm, type GoldenPoint } from '../support/golden-form';

/**
 * Damaged copies of a real event file. TensorBoard stops reading a file at
 * the first bad record; featherboard skips only the damage, so it keeps a
 * superset of TensorBoard's points, and says where the damage is.
 */
const DAMAGED = path.join(LOGDIRS, 'damaged');
const damage = JSON.parse(fs.readFileSync(path.join(DAMAGED, 'DAMAGE.json'), 'utf8')) as {
  record_offsets: number[];
  runs: Record<string, { file: string; record_offset?: number; inserted_at?: number; appended_at?: number }>;
};

let store: Store;
beforeAll(async () => {
  store = new Store();
  const loader = new LogdirLoader(DAMAGED, store);
  await loader.reload();
  loader.finish();
});

const golden = readGolden('damaged').runs;
/** JSON with sorted keys, so equal points give equal text whatever their key order. */
const key = (p: GoldenPoint): string =>
  JSON.stringify(p, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
  );

describe.each(Object.keys(golden))('run %s', (run) => {
  it('keeps every point TensorBoard keeps', () => {
    const ours = storeForm(store)[run];
    expect(ours).toBeDefined();
    for (const [tag, g] of Object.entries(golden[run]?.tags ?? {})) {
      const have = new Set((ours?.tags[tag]?.points ?? []).map(key));
      for (const p of g.points) expect(have.has(key(p))).toBe(true);
      expect(ours?.tags[tag]?.metadata).toEqual(g.metadata);
    }
  });
});

it('keeps every intact record of a file damaged in the middle', () => {
  const intact = storeForm(store).intact;
  for (const run of ['flipped_data_byte', 'flipped_length_byte']) {
    const ours = storeForm(store)[run];
    // Exactly the one damaged record (a `loss` point) is lost.
    expect(ours?.tags.acc?.points).toEqual(intact?.tags.acc?.points);
    expect(ours?.tags.loss?.points.length).toBe((intact?.tags.loss?.points.length ?? 0) - 1);
    expect(ours?.tags.img?.points).toEqual(intact?.tags.img?.points);
  }
  expect(storeForm(store).garbage_middle).toEqual(intact);
  expect(storeForm(store).garbage_tail).toEqual(intact);
});

it('reports each damage with its code, file and byte offset', () => {
  const byRun = (run: string) => store.warnings.filter((w) => w.file?.startsWith(`${run}/`));
  const flipped = damage.runs.flipped_data_byte;
  expect(byRun('flipped_data_byte')).toEqual([
    expect.objectContaining({
      code: 'DATA_CRC_MISMATCH',
      file: `flipped_data_byte/${flipped?.file}`,
      offset: flipped?.record_offset,
    }),
  ]);
  expect(byRun('flipped_length_byte')).toEqual([
    expect.objectContaining({ code: 'LENGTH_CRC_MISMATCH', offset: damage.runs.flipped_length_byte?.record_offset }),
  ]);
  expect(byRun('cut_tail')).toEqual([
    expect.objectContaining({ code: 'TRUNCATED_TAIL', offset: damage.runs.cut_tail?.record_offset }),
  ]);
  expect(byRun('garbage_middle').map((w) => w.code)).toEqual(['LENGTH_CRC_MISMATCH']);
  expect(byRun('garbage_tail').map((w) => w.code)).toEqual(['LENGTH_CRC_MISMATCH']);
  expect(byRun('intact')).toEqual([]);
  expect(byRun('empty')).toEqual([]);
});

it('lists an empty event file as a run with no tags, as TensorBoard does', () => {
  expect(store.run('empty')?.series.size).toBe(0);
});
