import type { Express } from 'express';
import request from 'supertest';
import { GRAPH_GOLDEN_LOGDIRS, graphsApp, loadLogdir, readGraphGolden } from './support';

/**
 * The keys TensorBoard lists under `_too_large_attrs` come out in the order
 * of a upb hash map whose seed changes with every process (the same graph
 * gives a different order on each TensorBoard start), so only their set is
 * compared; everything else must match byte for byte.
 */
function sortTooLargeLists(pbtxt: string): string {
  return pbtxt.replace(
    /(key: "_too_large_attrs"\n\s+value \{\n\s+list \{\n)((?:\s+s: ".*"\n)+)/g,
    (_m, head: string, items: string) => {
      const lines = items.split('\n').filter((l) => l !== '');
      return `${head + lines.sort().join('\n')}\n`;
    },
  );
}

/** featherboard's graphs routes answer as TensorBoard 2.21 did on each fixture (fixtures/graph-golden). */
describe.each(GRAPH_GOLDEN_LOGDIRS)('graphs routes on %s', (name) => {
  const goldens = readGraphGolden(name);
  let app: Express;
  beforeAll(async () => {
    app = graphsApp(await loadLogdir(name));
  });

  it.each(goldens.map((g) => [g.path, g] as const))('%s', async (_path, golden) => {
    const res = await request(app).get(golden.path);
    expect(res.status).toBe(golden.status);
    if (golden.status === 200) {
      expect(res.headers['content-type']).toBe(golden.content_type);
      if (golden.json !== undefined) expect(res.body).toEqual(golden.json);
      else if (golden.path.includes('limit_attr_size'))
        expect(sortTooLargeLists(res.text)).toBe(sortTooLargeLists(golden.text ?? ''));
      else expect(res.text).toBe(golden.text);
    } else if (golden.status === 400) {
      // featherboard's errors are JSON; the message is TensorBoard's.
      expect(res.body).toEqual({ error: golden.text });
    } else {
      expect(res.body).toEqual({ error: expect.any(String) });
    }
  });
});
