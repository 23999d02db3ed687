import * as esbuild from 'esbuild';
import express from 'express';
import { mkdirSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PLUGIN, RUN_GRAPH_TAG } from '../../src/events/plugins';
import { DATA_CLASS, DT } from '../../src/events/types';
import { GraphDefType } from '../../src/graph/messages';
import { errorHandler } from '../../src/server/http/error-handler';
import { graphsRoutes } from '../../src/server/routes/graphs/tensorboard';
import { Store } from '../../src/store/store';
import { launchChromium } from '../viewer/support/browser';
import { loadLogdir } from './support';

/**
 * The graph view (viewer/src/graph) in a real browser, on its own page over
 * the graphs routes: each fixture's graph opens, a scope expands, search
 * finds a node and its details show. Screenshots go to test-output/.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test-output');

/** Console errors, uncaught exceptions and failed requests of a page. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return errors;
}

interface Debug {
  run: string | undefined;
  mode: string;
  visible: number;
  expanded: string[];
  selected: string | undefined;
  ops: number;
}

let bundle: string;
let browser: Browser;

jest.setTimeout(60000);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const result = await esbuild.build({
    stdin: {
      contents:
        "import { renderGraphView } from './viewer/src/graph';\n" +
        "(globalThis as any).__graph = renderGraphView(document.getElementById('app') as HTMLElement);\n",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]?.text ?? '';
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The graphs routes and a page holding only the graph view, on 127.0.0.1. */
async function serve(store: Store): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.set('query parser', 'simple');
  app.use('/data/plugin/graphs', graphsRoutes(store));
  app.get('/graph.js', (_req, res) => {
    res.type('application/javascript').send(bundle);
  });
  app.get('/', (_req, res) => {
    res
      .type('html')
      .send(
        '<!doctype html><html><head><meta charset="utf-8"><title>graph</title><link rel="icon" href="data:,"></head>' +
          '<body style="margin:0;height:100vh"><div id="app" style="height:100vh"></div>' +
          '<script src="graph.js"></script></body></html>',
      );
  });
  app.use(errorHandler(() => {}));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function debug(page: Page): Promise<Debug> {
  return page.evaluate(() => (globalThis as unknown as { __graph: { debug(): Debug } }).__graph.debug());
}

async function waitForGraph(page: Page): Promise<Debug> {
  await page.waitForFunction(
    () => ((globalThis as unknown as { __graph?: { debug(): { visible: number } } }).__graph?.debug().visible ?? 0) > 0,
  );
  return debug(page);
}

const CASES = [
  // logdir, a scope to open, what to type in search, the node it finds first and its op
  {
    logdir: 'pytorch',
    scope: 'SmallCNN/Conv2d[conv]',
    find: 'Linear[fc]/101',
    selected: 'SmallCNN/Linear[fc]/101',
    detail: 'aten::linear',
  },
  { logdir: 'tf2', scope: 'dense1', find: 'probs', selected: 'probs', detail: 'Softmax' },
  { logdir: 'keras', scope: 'sequential', find: 'hidden', selected: 'sequential/hidden', detail: 'Dense' },
  { logdir: 'tf1_restart', scope: 'layer2', find: 'layer1/MatMul', selected: 'layer1/MatMul', detail: 'MatMul' },
  // By op type: the name does not say "batch_norm".
  {
    logdir: 'pytorch_nested',
    scope: 'Net/Sequential[features]/Block[2]',
    find: 'batch_norm',
    selected: 'Net/Sequential[features]/Block[2]/BatchNorm2d[bn]/155',
    detail: 'aten::batch_norm',
  },
];

describe.each(CASES)('graph view on $logdir', ({ logdir, scope, find, selected: wanted, detail }) => {
  it('opens the graph, expands a scope, finds a node and shows its details', async () => {
    const server = await serve(await loadLogdir(logdir));
    const page = await browser.newPage({ viewport: { width: 1300, height: 850 } });
    const errors = collectErrors(page);
    try {
      await page.goto(server.url);
      const first = await waitForGraph(page);
      expect(first.ops).toBeGreaterThan(0);
      await page.waitForTimeout(100); // the first fit happens on the next frame
      await page.screenshot({ path: path.join(SHOTS, `graph-${logdir}-opened.png`) });

      // Open the scope: click its box if it is collapsed, otherwise it is already a cluster.
      if (!first.expanded.includes(scope)) {
        await page.locator(`g.fbg-scope[data-path="${scope}"]`).click();
        await page.waitForFunction(
          (s) =>
            (globalThis as unknown as { __graph: { debug(): { expanded: string[] } } }).__graph
              .debug()
              .expanded.includes(s),
          scope,
        );
      }
      expect(await page.locator(`g.fbg-cluster[data-path="${scope}"]`).count()).toBe(1);
      const after = await debug(page);
      expect(after.visible).toBeGreaterThan(first.expanded.includes(scope) ? 0 : first.visible);

      // Search, pick the first result: the node is selected and its op shows in the details.
      await page.fill('input.fbg-search', find);
      await page.locator('.fbg-results button').first().click();
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { __graph: { debug(): { selected?: string } } }).__graph.debug().selected !==
          undefined,
      );
      expect((await debug(page)).selected).toBe(wanted);
      await expect(page.locator('.fbg-details dd').first().textContent()).resolves.toBe(detail);
      expect(await page.locator('g.fbg-selected').count()).toBe(1);
      await page.screenshot({ path: path.join(SHOTS, `graph-${logdir}.png`) });

      // Tree and layer table views of the same model.
      await page.locator('.fbg-modes button', { hasText: 'Tree' }).click();
      expect(await page.locator('.fbg-tree').count()).toBe(1);
      await page.locator('.fbg-modes button', { hasText: 'Layers' }).click();
      expect(await page.locator('.fbg-table tbody tr').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SHOTS, `graph-${logdir}-layers.png`) });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });
});

/** A store with one run holding a generated graph of `n` ops in 3 levels of scopes. */
function bigGraphStore(n: number): Store {
  const node = Array.from({ length: n }, (_, i) => ({
    name: `block${Math.floor(i / 1000)}/layer${Math.floor(i / 100) % 10}/op${i}`,
    op: i % 5 === 0 ? 'Const' : 'MatMul',
    input: i > 0 ? [`block${Math.floor((i - 1) / 1000)}/layer${Math.floor((i - 1) / 100) % 10}/op${i - 1}`] : [],
    attr: { _output_shapes: { list: { shape: [{ dim: [{ size: -1 }, { size: 64 }] }] } } },
  }));
  const bytes = GraphDefType.encode(GraphDefType.fromObject({ node })).finish();
  const store = new Store();
  store.ensureRun('big').addEvent(
    {
      kind: 'summary',
      wallTime: 1,
      step: 0,
      values: [
        {
          tag: RUN_GRAPH_TAG,
          metadata: {
            pluginName: PLUGIN.GRAPHS,
            pluginContent: new Uint8Array(0),
            displayName: '',
            description: '',
            dataClass: DATA_CLASS.BLOB_SEQUENCE,
          },
          tensor: {
            kind: 'string',
            dtype: DT.STRING,
            shape: [1],
            values: [{ offset: 0, length: bytes.length, inline: bytes }],
          },
        },
      ],
    },
    'unused-file',
  );
  return store;
}

it('10,000-op graph: scopes start collapsed, expand all stops at a drawable size, search finds a deep op', async () => {
  const server = await serve(bigGraphStore(10_000));
  const page = await browser.newPage({ viewport: { width: 1300, height: 850 } });
  const errors = collectErrors(page);
  try {
    const t0 = Date.now();
    await page.goto(server.url);
    const first = await waitForGraph(page);
    const openMs = Date.now() - t0;
    expect(first.ops).toBe(10_000);
    expect(first.visible).toBeLessThanOrEqual(40);
    expect(openMs).toBeLessThan(15_000);

    await page.locator('button', { hasText: 'Expand all' }).click();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __graph: { debug(): { expanded: string[] } } }).__graph.debug().expanded.length >
        10,
    );
    const expanded = await debug(page);
    expect(expanded.visible).toBeLessThanOrEqual(1500);
    await expect(page.locator('.fbg-status').textContent()).resolves.toMatch(/Large graph/);

    await page.locator('button', { hasText: 'Collapse all' }).click();
    await page.fill('input.fbg-search', 'op9876');
    await page.locator('.fbg-results button').first().click();
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __graph: { debug(): { selected?: string } } }).__graph.debug().selected !==
        undefined,
    );
    expect((await debug(page)).selected).toBe('block9/layer8/op9876');
    expect(await page.locator('g.fbg-selected').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'graph-10k-search.png') });
    expect(errors).toEqual([]);
  } finally {
    await page.close();
    await server.close();
  }
});
