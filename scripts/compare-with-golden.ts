/**
 * Load a logdir with featherboard and compare it, tag by tag and point by
 * point, with the golden JSON TensorBoard's loader wrote for it
 * (fixtures/golden.py format). Prints what differs; exit 1 if anything does.
 *
 *   node compare.js LOGDIR GOLDEN.json
 */
import { isDeepStrictEqual } from 'node:util';
import { LogdirLoader } from '../src/logdir/logdir-loader';
import { Store } from '../src/store/store';
import { storeForm, type GoldenLogdir } from '../test/support/golden-form';
import * as fs from 'node:fs';

async function main(): Promise<number> {
  const [logdir, goldenPath] = process.argv.slice(2);
  if (logdir === undefined || goldenPath === undefined) {
    process.stderr.write('usage: compare LOGDIR GOLDEN.json\n');
    return 2;
  }
  const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8')) as GoldenLogdir;
  const store = new Store({ purgeOrphanedData: golden.purge_orphaned_data });
  const loader = new LogdirLoader(logdir, store);
  await loader.reload();
  loader.finish();
  const ours = storeForm(store);
  let differences = 0;
  let points = 0;
  const runs = new Set([...Object.keys(ours), ...Object.keys(golden.runs)]);
  for (const run of runs) {
    const a = ours[run];
    const g = golden.runs[run];
    if (a === undefined || g === undefined) {
      process.stdout.write(`run ${run}: ${a === undefined ? 'missing in featherboard' : 'not in TensorBoard'}\n`);
      differences++;
      continue;
    }
    for (const tag of new Set([...Object.keys(a.tags), ...Object.keys(g.tags)])) {
      points += g.tags[tag]?.points.length ?? 0;
      if (!isDeepStrictEqual(a.tags[tag], g.tags[tag])) {
        process.stdout.write(`run ${run} tag ${tag}: differs\n`);
        differences++;
      }
    }
    if (!isDeepStrictEqual(a.plugins, g.plugins) || !isDeepStrictEqual(a.graph, g.graph)) {
      process.stdout.write(`run ${run}: plugins or graph differ\n`);
      differences++;
    }
  }
  const verdict = differences === 0 ? 'identical to TensorBoard' : `${differences} differences`;
  process.stdout.write(`${runs.size} runs, ${points} points compared: ${verdict}\n`);
  return differences === 0 ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
});
