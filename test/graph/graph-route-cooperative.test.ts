import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { readRunGraph } from '../../src/graph/graph-sources';
import {
  decodeGraphDef,
  decodeRunMetadata,
  GraphDefType,
  RunMetadataType,
  type GraphDefMsg,
} from '../../src/graph/messages';
import * as pbtxt from '../../src/protobuf/text-format-printer';
import { dropLargeAttrs } from '../../src/graph/prepare-for-ui';
import { createApp } from '../../src/server/create-app';
import type { RunData } from '../../src/store/run-data';
import { Store } from '../../src/store/store';
import { FIXTURES } from '../support/golden-form';
import { largeGraphDef, writeLargeGraphLogdir } from './large-graph';

/**
 * A huge graph must not freeze the server: /graph prints its text a slice
 * at a time and lets other requests in between, and stops printing when the
 * client goes away. Asserted as order of events, not as timings.
 */

/** Enough nodes for about a hundred slices of text (~6 MB), small enough to print in a fraction of a second. */
const NODES = 12_000;
const GRAPH_PATH = '/data/plugin/graphs/graph?run=.&limit_attr_size=1024&large_attrs_key=_too_large_attrs';

describe('text format in slices', () => {
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'graph-golden', 'cases.json'), 'utf8')) as {
    pbtxt: { name: string; type: 'GraphDef' | 'RunMetadata'; bytes: string; text: string }[];
  };

  // One-character chunks: the printer pauses after every sub-message it may pause after.
  it.each(cases.pbtxt.map((c) => [c.name, c] as const))(
    'pausing everywhere still prints TensorBoard’s text: %s',
    (_name, c) => {
      const bytes = Buffer.from(c.bytes, 'base64');
      const [type, message] =
        c.type === 'GraphDef' ? [GraphDefType, decodeGraphDef(bytes)] : [RunMetadataType, decodeRunMetadata(bytes)];
      const slices = [...pbtxt.pbtxtSlices(type, message, { chunkChars: 1 })];
      expect(slices.map((s) => s.join('')).join('')).toBe(c.text);
    },
  );

  it('ends slices between nodes and hands each chunk over once', () => {
    const graph = largeGraphDef(50);
    const slices = [...pbtxt.pbtxtSlices(GraphDefType, graph, { chunkChars: 1 })];
    // One slice per node, then the versions message.
    expect(slices).toHaveLength(51);
    for (const [i, slice] of slices.slice(0, 50).entries())
      expect(slice.join('')).toMatch(new RegExp(`^node \\{\\n  name: "[^"]*/op${i}"\\n[^]*\\n\\}\\n$`));
    expect(slices.flat().join('')).toBe(pbtxt.toPbtxt(GraphDefType, graph));
  });

  it('prints nothing more once stopped', () => {
    const slices = pbtxt.pbtxtSlices(GraphDefType, largeGraphDef(50), { chunkChars: 1 });
    expect(slices.next().done).toBe(false);
    expect(slices.return()).toEqual({ done: true, value: undefined });
    expect(slices.next()).toEqual({ done: true, value: undefined });
  });
});

/** Every slice the server's /graph printer hands over, counted through a wrapper around `pbtxtSlices`. */
interface Printer {
  slices: number;
  /** The printer ran to the end of the message. */
  finished: boolean;
  /** Called with the count after each slice. */
  onSlice: (count: number) => void;
  /** Resolves when the server lets go of the printer (finished or stopped). */
  released: Promise<void>;
}

function watchPrinter(): Printer {
  const real = pbtxt.pbtxtSlices;
  let release = (): void => {};
  const printer: Printer = {
    slices: 0,
    finished: false,
    onSlice: () => {},
    released: new Promise((r) => (release = r)),
  };
  jest.spyOn(pbtxt, 'pbtxtSlices').mockImplementation(function* (type, message, options) {
    try {
      for (const slice of real(type, message, options)) {
        printer.slices += 1;
        printer.onSlice(printer.slices);
        yield slice;
      }
      printer.finished = true;
    } finally {
      release();
    }
  });
  return printer;
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

/** Whether the promise settles within `ms` (a bound against hanging, far above the few ms it takes). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A few turns of the event loop plus a little time: long enough for any work still scheduled to show. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 50));
}

describe('/graph on a large graph', () => {
  let dir: string;
  let store: Store;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-graph-coop-'));
    writeLargeGraphLogdir(dir, NODES);
    store = new Store();
    const loader = new LogdirLoader(dir, store);
    await loader.reload();
    loader.finish();
    server = http.createServer(createApp(store, { logdir: dir, logError: () => {} }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => jest.restoreAllMocks());

  it('sends the same text as printing the whole graph in one piece', async () => {
    const printer = watchPrinter();
    const res = await get(port, GRAPH_PATH);
    const expected = (await readRunGraph(store.run('.') as RunData)) as GraphDefMsg;
    dropLargeAttrs(expected, { limitAttrSize: 1024, largeAttrsKey: '_too_large_attrs' });
    expect(res.status).toBe(200);
    expect(res.body).toBe(pbtxt.toPbtxt(GraphDefType, expected));
    expect(printer.finished).toBe(true);
    expect(printer.slices).toBeGreaterThan(20);
  });

  it('answers /data/runs while the graph is still being printed', async () => {
    const printer = watchPrinter();
    let graphEnded = false;
    let runs:
      | Promise<{ status: number; body: string; printed: number; printerFinished: boolean; graphEnded: boolean }>
      | undefined;
    printer.onSlice = (count) => {
      if (count !== 2) return;
      runs = get(port, '/data/runs').then((r) => ({
        ...r,
        printed: printer.slices,
        printerFinished: printer.finished,
        graphEnded,
      }));
    };
    const graph = await get(port, GRAPH_PATH).then((r) => {
      graphEnded = true;
      return r;
    });
    expect(graph.status).toBe(200);
    expect(runs).toBeDefined();
    const answer = await (runs as NonNullable<typeof runs>);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(['.']);
    expect(answer.printerFinished).toBe(false);
    expect(answer.graphEnded).toBe(false);
    expect(answer.printed).toBeLessThan(printer.slices);
  });

  it('stops printing when the client goes away', async () => {
    const printer = watchPrinter();
    let atAbort = -1;
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: GRAPH_PATH, agent: false }, (res) => {
        res.once('data', () => {
          atAbort = printer.slices;
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (atAbort < 0) reject(err);
      });
    });
    expect(await settlesWithin(printer.released, 5000)).toBe(true);
    const atStop = printer.slices;
    await settle();
    expect(printer.finished).toBe(false);
    expect(printer.slices).toBe(atStop);
    // The server hears of the close on its next look at the socket; it prints at most a slice per turn of the loop
    // meanwhile.
    expect(atStop - atAbort).toBeLessThanOrEqual(3);

    // A later request for the same graph is served whole.
    const again = await get(port, GRAPH_PATH);
    expect(again.status).toBe(200);
    expect(again.body.endsWith('versions {\n  producer: 1205\n}\n')).toBe(true);
  });
});
