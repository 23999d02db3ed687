import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { Store } from '../../src/store/store';
import { envInt } from '../support/fuzz-bounded';
import {
  applyDamages,
  chunkPattern,
  damagesFor,
  fixtureFiles,
  splitBy,
  type FixtureFile,
} from '../support/fuzz-damage';
import { storeForm } from '../support/golden-form';

/**
 * LogdirLoader over damaged real files that grow while it reloads, as a
 * crashed or still-running writer leaves them: it never throws, and ends
 * with exactly what one read of the finished files gives.
 */
const RUNS = Math.max(10, Math.floor(envInt('FB_FUZZ_RUNS', 400) / 4));
const files = fixtureFiles();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-loader-fuzz-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const EVENT_FILE = 'events.out.tfevents.1700000000.fuzz';
let caseNo = 0;

async function load(logdir: string): Promise<{ runs: unknown; warnings: string[] }> {
  const store = new Store();
  const loader = new LogdirLoader(logdir, store);
  await loader.reload();
  loader.finish();
  return { runs: storeForm(store), warnings: store.warnings.map((w) => JSON.stringify(w)).sort() };
}

const oneFile = fc.integer({ min: 0, max: files.length - 1 }).chain((i) => {
  const file = files[i] as FixtureFile;
  return fc.tuple(fc.constant(file), damagesFor(file), chunkPattern);
});

describe('LogdirLoader on damaged files that grow while it reads', () => {
  it('never throws, and growing in chunks ends as one whole read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(oneFile, { minLength: 1, maxLength: 3 }), async (runs) => {
        const dir = path.join(tmp, String(caseNo++));
        const whole = path.join(dir, 'whole');
        const grown = path.join(dir, 'grown');
        const pieces = runs.map(([file, damages, pattern], r) => {
          const bytes = applyDamages(file, damages).bytes;
          for (const root of [whole, grown]) fs.mkdirSync(path.join(root, `run${r}`), { recursive: true });
          fs.writeFileSync(path.join(whole, `run${r}`, EVENT_FILE), bytes);
          fs.writeFileSync(path.join(grown, `run${r}`, EVENT_FILE), new Uint8Array(0));
          return splitBy(
            bytes,
            pattern.map((n) => n * 16),
          );
        });

        const store = new Store();
        const loader = new LogdirLoader(grown, store);
        const steps = Math.max(...pieces.map((p) => p.length));
        for (let step = 0; step < steps; step++) {
          pieces.forEach((p, r) => {
            const chunk = p[step];
            if (chunk !== undefined) fs.appendFileSync(path.join(grown, `run${r}`, EVENT_FILE), chunk);
          });
          await loader.reload();
        }
        loader.finish();

        const expected = await load(whole);
        expect(storeForm(store)).toEqual(expected.runs);
        expect(store.warnings.map((w) => JSON.stringify(w)).sort()).toEqual(expected.warnings);
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: RUNS },
    );
  });
});
