import * as path from 'node:path';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { Store } from '../../src/store/store';
import { LOGDIRS, readGolden, storeForm } from '../support/golden-form';

/** Each fixture logdir, loaded by featherboard, equals what TensorBoard's own loader kept. */
const INTACT = ['tf2', 'keras', 'pytorch', 'tensorboardx', 'tf1_restart'];

async function load(name: string, purge = true): Promise<Store> {
  const store = new Store({ purgeOrphanedData: purge });
  const loader = new LogdirLoader(path.join(LOGDIRS, name), store);
  await loader.reload();
  loader.finish();
  return store;
}

describe.each(INTACT)('logdir %s', (name) => {
  it('matches TensorBoard point for point', async () => {
    const store = await load(name);
    const golden = readGolden(name);
    expect(store.warnings).toEqual([]);
    expect(storeForm(store)).toEqual(golden.runs);
  });
});

it('keeps every point with purge_orphaned_data false', async () => {
  const store = await load('tf1_restart', false);
  expect(storeForm(store)).toEqual(readGolden('tf1_restart.no-purge').runs);
});
