import * as path from 'node:path';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { Store } from '../../src/store/store';
import { LOGDIRS, readGolden, storeForm } from '../support/golden-form';

/**
 * fixtures/logdirs/js_writer was written once by EventWriter
 * (make-js-writer-fixture.js); fixtures/golden/js_writer.json is what
 * TensorBoard 2.21's loader read from it. Both readers agree point for point.
 */
it('files written by EventWriter read the same in TensorBoard and featherboard', async () => {
  const store = new Store();
  const loader = new LogdirLoader(path.join(LOGDIRS, 'js_writer'), store);
  await loader.reload();
  loader.finish();
  expect(store.warnings).toEqual([]);
  const golden = readGolden('js_writer');
  expect(Object.keys(golden.runs).sort()).toEqual(['pytorch_style', 'tf2_style', 'two_files']);
  expect(storeForm(store)).toEqual(golden.runs);
});
