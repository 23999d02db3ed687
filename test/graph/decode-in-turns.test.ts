import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLUGIN, RUN_GRAPH_TAG } from '../../src/events/plugins';
import { protoType } from '../../src/protobuf/schema';
import { runToEnd } from '../../src/graph/cooperative';
import {
  decodeGraphDefCooperatively,
  decodeMetaGraphGraphCooperatively,
  graphDefDecodeSteps,
} from '../../src/graph/decode-in-turns';
import { OP_GRAPH_PLUGINS, readTagBlob } from '../../src/graph/graph-sources';
import { decodeMetaGraphDef, decodeRunMetadata, GraphDefType, type GraphDefMsg } from '../../src/graph/messages';
import { readBlob } from '../../src/store/read-blob';
import { FIXTURES, LOGDIRS } from '../support/golden-form';
import { largeGraphDef } from './large-graph';
import { GRAPH_GOLDEN_LOGDIRS, loadLogdir } from './support';

/**
 * Decoding a GraphDef a batch of nodes per turn gives what one protobufjs
 * decode gives: the same message (fields, their order, bytes views) on every
 * graph of the fixtures, and on mangled bytes the same message or the same error.
 */

/** What one decode gives: the message, or the error's message. */
function oneShot(bytes: Uint8Array): { message: unknown } | { error: string } {
  try {
    return { message: GraphDefType.decode(bytes) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

async function cooperative(
  bytes: Uint8Array,
  nodeBytesPerTurn?: number,
): Promise<{ message: unknown } | { error: string }> {
  try {
    return { message: await decodeGraphDefCooperatively(bytes, nodeBytesPerTurn) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** What one MetaGraphDef decode gives for its graph. */
function oneShotMeta(bytes: Uint8Array): { message: unknown } | { error: string } {
  try {
    return { message: decodeMetaGraphDef(bytes).graphDef ?? undefined };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

async function expectSameMetaGraph(bytes: Uint8Array, nodeBytesPerTurn?: number): Promise<void> {
  const expected = oneShotMeta(bytes);
  let actual: { message: unknown } | { error: string };
  try {
    actual = { message: await decodeMetaGraphGraphCooperatively(bytes, nodeBytesPerTurn) };
  } catch (err) {
    actual = { error: (err as Error).message };
  }
  expect(actual).toStrictEqual(expected);
  if ('message' in expected)
    expect(keyOrder((actual as { message: unknown }).message)).toEqual(keyOrder(expected.message));
}

/** Own keys in order, all the way down: `toStrictEqual` does not look at the order. */
function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  return Object.entries(value).map(([k, v]) => [k, keyOrder(v)]);
}

async function expectSameDecode(bytes: Uint8Array, nodeBytesPerTurn?: number): Promise<void> {
  const expected = oneShot(bytes);
  const actual = await cooperative(bytes, nodeBytesPerTurn);
  if ('error' in expected) {
    // decodeGraphDef wraps protobufjs's error in its own words.
    expect('error' in actual ? actual.error : actual).toBe(`not a valid GraphDef (${expected.error})`);
    return;
  }
  expect(actual).toStrictEqual(expected);
  expect(keyOrder((actual as { message: unknown }).message)).toEqual(keyOrder(expected.message));
}

/**
 * Every serialized GraphDef the fixtures hold: run graphs, meta graphs' and traces' graphs (re-encoded), the printer
 * cases.
 */
async function fixtureGraphs(): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [];
  metaGraphs = [];
  const encode = (g: GraphDefMsg): Uint8Array => GraphDefType.encode(g as never).finish();
  const logdirs = [...new Set([...fs.readdirSync(LOGDIRS), ...GRAPH_GOLDEN_LOGDIRS])].sort();
  for (const logdir of logdirs) {
    const store = await loadLogdir(logdir);
    for (const name of store.runNames()) {
      const run = store.run(name);
      if (run === undefined) continue;
      const runGraph = await readTagBlob(run, RUN_GRAPH_TAG, [PLUGIN.GRAPHS]);
      if (runGraph !== undefined) out.push([`${logdir}/${name} run graph`, runGraph]);
      if (run.graph !== undefined)
        out.push([`${logdir}/${name} graph_def`, await readBlob(run.graph.file, run.graph.ref)]);
      if (run.metaGraph !== undefined) {
        const metaBytes = await readBlob(run.metaGraph.file, run.metaGraph.ref);
        metaGraphs.push([`${logdir}/${name}`, metaBytes]);
        const meta = decodeMetaGraphDef(metaBytes);
        if (meta.graphDef) out.push([`${logdir}/${name} meta graph`, encode(meta.graphDef)]);
      }
      for (const plugin of OP_GRAPH_PLUGINS) {
        for (const tag of run.tagsForPlugin(plugin)) {
          const bytes = await readTagBlob(run, tag, [plugin]);
          if (bytes === undefined) continue;
          for (const [i, fg] of (decodeRunMetadata(bytes).functionGraphs ?? []).entries()) {
            if (fg.preOptimizationGraph)
              out.push([`${logdir}/${name} ${tag} function ${i}`, encode(fg.preOptimizationGraph)]);
          }
        }
      }
    }
  }
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'graph-golden', 'cases.json'), 'utf8')) as {
    pbtxt: { name: string; type: string; bytes: string }[];
  };
  for (const c of cases.pbtxt)
    if (c.type === 'GraphDef') out.push([`printer case ${c.name}`, Buffer.from(c.bytes, 'base64')]);
  out.push(['synthetic 3,000 nodes', encode(largeGraphDef(3000))]);
  return out;
}

let graphs: [string, Uint8Array][] = [];
/** Every MetaGraphDef of the fixtures, as written. */
let metaGraphs: [string, Uint8Array][] = [];

beforeAll(async () => {
  graphs = await fixtureGraphs();
});

describe('on the fixtures', () => {
  it('finds graphs of every kind', () => {
    const names = graphs.map(([name]) => name);
    expect(names.filter((n) => n.endsWith('run graph')).length).toBeGreaterThan(3);
    expect(names.some((n) => n.endsWith('meta graph'))).toBe(true);
    expect(names.some((n) => n.includes('function'))).toBe(true);
    expect(names.some((n) => n.startsWith('printer case'))).toBe(true);
  });

  it('gives the same message as one decode, in large and in small batches', async () => {
    for (const [name, bytes] of graphs) {
      for (const perTurn of [undefined, 64]) {
        await expectSameDecode(bytes, perTurn).catch((err: Error) => {
          throw new Error(`${name}, ${perTurn ?? 'default'} bytes per turn: ${err.message}`);
        });
      }
    }
  });

  it('gives the graph of a MetaGraphDef as one decode does', async () => {
    expect(metaGraphs.length).toBeGreaterThan(0);
    for (const [name, bytes] of metaGraphs) {
      for (const perTurn of [undefined, 64]) {
        await expectSameMetaGraph(bytes, perTurn).catch((err: Error) => {
          throw new Error(`${name}, ${perTurn ?? 'default'} bytes per turn: ${err.message}`);
        });
      }
    }
  });

  it('pauses after each batch of nodes', () => {
    const bytes = GraphDefType.encode(GraphDefType.fromObject(largeGraphDef(100))).finish();
    const steps = graphDefDecodeSteps(bytes, 1);
    let pauses = 0;
    for (let step = steps.next(); step.done !== true; step = steps.next()) pauses++;
    // One-byte batches: a pause after every node.
    expect(pauses).toBe(100);
    expect(runToEnd(graphDefDecodeSteps(bytes))).toStrictEqual(GraphDefType.decode(bytes));
  });

  it('lets other callbacks run while it decodes', async () => {
    const bytes = GraphDefType.encode(GraphDefType.fromObject(largeGraphDef(2000))).finish();
    const order: string[] = [];
    const decoding = decodeGraphDefCooperatively(bytes, 16 * 1024).then(() => order.push('decoded'));
    setImmediate(() => order.push('other'));
    await decoding;
    expect(order).toEqual(['other', 'decoded']);
  });
});

/** A top-level field: its tag (any field number, any wire type) and a payload. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
};

const VersionDef = protoType('VersionDef');
const FunctionDefLibrary = protoType('FunctionDefLibrary');

describe('on mangled bytes', () => {
  const someNodes = largeGraphDef(30).node ?? [];
  const nodeBytes = someNodes.map((n) => Buffer.from(GraphDefType.encode({ node: [n] } as never).finish()));

  /** Well-formed fields in any order and number: nodes, repeated versions/library/version, unknown fields. */
  const field = fc.oneof(
    fc.constantFrom(...nodeBytes),
    fc
      .record({ producer: fc.integer({ min: 0, max: 2000 }), minConsumer: fc.integer({ min: 0, max: 30 }) })
      .map((v) => Buffer.from([...varint((4 << 3) | 2), ...withLength(VersionDef.encode(v).finish())])),
    fc
      .array(fc.record({ functionName: fc.string(), gradientFunc: fc.string() }), { maxLength: 2 })
      .map((gradient) =>
        Buffer.from([...varint((2 << 3) | 2), ...withLength(FunctionDefLibrary.encode({ gradient }).finish())]),
      ),
    fc.integer({ min: -5, max: 5000 }).map((v) => Buffer.from([...varint(3 << 3), ...varint(v >>> 0)])),
    // Unknown fields and known ones with another wire type.
    fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 1, 2, 5), fc.uint8Array({ maxLength: 12 }))
      .map(([id, wire, payload]) => {
        const tag = varint((id << 3) | wire);
        if (wire === 0) return Buffer.from([...tag, ...varint(payload.length)]);
        if (wire === 1) return Buffer.from([...tag, ...new Uint8Array(8)]);
        if (wire === 5) return Buffer.from([...tag, 1, 2, 3, 4]);
        return Buffer.from([...tag, ...withLength(payload)]);
      }),
  );
  const wellFormed = fc.array(field, { maxLength: 12 }).map((fields) => new Uint8Array(Buffer.concat(fields)));

  /** Then mangled: bytes flipped, cut, inserted. */
  const mangled = fc
    .tuple(
      wellFormed,
      fc.array(fc.tuple(fc.constantFrom('flip', 'cut', 'insert'), fc.nat(), fc.integer({ min: 0, max: 255 })), {
        maxLength: 4,
      }),
    )
    .map(([bytes, edits]) => {
      let out = Array.from(bytes);
      for (const [edit, at, value] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (edit === 'flip' && out.length > 0) out[i] = value;
        else if (edit === 'cut') out = out.slice(0, i);
        else out.splice(i, 0, value);
      }
      return new Uint8Array(out);
    });

  it('gives the same message when the bytes are well formed', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed, fc.constantFrom(1, 100, 1 << 20), (bytes, perTurn) =>
        expectSameDecode(bytes, perTurn),
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same message or the same error when they are not', async () => {
    await fc.assert(
      fc.asyncProperty(mangled, fc.constantFrom(1, 1 << 20), (bytes, perTurn) => expectSameDecode(bytes, perTurn)),
      { numRuns: 500 },
    );
  });

  it('gives the same message or the same error on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), (bytes) => expectSameDecode(bytes, 1)),
      { numRuns: 300 },
    );
  });

  /** MetaGraphDefs of such graphs (one, several or none), unknown fields between, then maybe mangled. */
  const metaGraph = fc
    .tuple(
      fc.array(
        fc.oneof(
          wellFormed.map((g) => Buffer.from([...varint((2 << 3) | 2), ...withLength(g)])),
          fc
            .tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 6 }))
            .map(([id, payload]) => Buffer.from([...varint((id << 3) | 2), ...withLength(payload)])),
        ),
        { maxLength: 4 },
      ),
      fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))),
    )
    .map(([fields, flip]) => {
      const bytes = new Uint8Array(Buffer.concat(fields));
      if (flip !== null && bytes.length > 0) bytes[flip[0] % bytes.length] = flip[1];
      return bytes;
    });

  it('gives the graph of a MetaGraphDef, or the error, as one decode does', async () => {
    await fc.assert(
      fc.asyncProperty(metaGraph, fc.constantFrom(1, 1 << 20), (bytes, perTurn) => expectSameMetaGraph(bytes, perTurn)),
      { numRuns: 400 },
    );
  });

  it('decodes Buffers and plain Uint8Arrays alike', async () => {
    const bytes = Buffer.concat(nodeBytes.slice(0, 5));
    await expectSameDecode(bytes, 1);
    await expectSameDecode(new Uint8Array(bytes), 1);
  });
});

function withLength(bytes: Uint8Array): number[] {
  return [...varint(bytes.length), ...bytes];
}
