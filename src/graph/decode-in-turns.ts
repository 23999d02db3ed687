import type * as protobuf from 'protobufjs';
import { runInTurns, type Steps } from './cooperative';
import {
  decodeGraphDef,
  decodeMetaGraphDef,
  GraphDefType,
  MetaGraphDefType,
  type GraphDefMsg,
  type NodeDefMsg,
} from './messages';

/**
 * A GraphDef decoded a batch of nodes per turn of the event loop (protobufjs
 * takes ~0.3 s for 100,000 nodes in one call). The result is the one of
 * `GraphDefType.decode`: the top-level fields are walked the way protobufjs's
 * generated decoder walks them, nodes are decoded with the same call it
 * makes, and every other field is decoded on its own and set as protobufjs
 * sets it (last one wins). Anything the walk might read differently (a known
 * field with another wire type) or any error falls back to one decode, so
 * odd input gets exactly protobufjs's result or error. A MetaGraphDef's
 * graph is decoded the same way.
 */

/** Node bytes decoded per turn: about 5 ms of protobufjs work. */
export const NODE_BYTES_PER_TURN = 256 * 1024;

/** GraphDef field number → the wire type protobufjs's decoder assumes for it. */
const NODE_FIELD = 1;
const EXPECTED_WIRE_TYPE: ReadonlyMap<number, number> = new Map([
  [NODE_FIELD, 2], // repeated NodeDef node
  [2, 2], // FunctionDefLibrary library
  [3, 0], // int32 version
  [4, 2], // VersionDef versions
  [5, 2], // GraphDebugInfo debug_info
]);

/** The walk met something protobufjs might read another way: decode in one piece instead. */
class Unusual extends Error {}

/**
 * A generated protobufjs decoder, with the arguments the generated code passes to nested ones (`depth` counts nesting).
 */
type Decoder<T> = (reader: protobuf.Reader, length: number | undefined, end: undefined, depth: number) => T;

/**
 * The decoding as steps (see cooperative.ts); throws `Unusual` or
 * protobufjs's errors, which the callers turn into one plain decode.
 * `depth` is the GraphDef's nesting in the message being decoded (1 inside
 * a MetaGraphDef), for protobufjs's recursion limit.
 */
export function* graphDefDecodeSteps(
  bytes: Uint8Array,
  nodeBytesPerStep = NODE_BYTES_PER_TURN,
  depth = 0,
): Steps<GraphDefMsg> {
  const schema = new Set(GraphDefType.fieldsArray.map((f) => f.id));
  if (schema.size !== EXPECTED_WIRE_TYPE.size || [...schema].some((id) => !EXPECTED_WIRE_TYPE.has(id)))
    throw new Unusual('schema changed');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Reader } = require('protobufjs') as typeof protobuf;
  // The generated decoder takes the depth; the one before setup would drop it.
  if (!Object.hasOwn(GraphDefType, 'decode')) GraphDefType.setup();
  const decodeGraph = GraphDefType.decode as unknown as Decoder<Record<string, unknown>>;
  const nodeType = (GraphDefType.fieldsById[NODE_FIELD] as protobuf.Field).resolvedType as protobuf.Type;
  const reader = Reader.create(bytes);
  const message = new GraphDefType.ctor() as unknown as Record<string, unknown> & GraphDefMsg;
  let sinceStep = 0;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const id = tag >>> 3;
    const expected = EXPECTED_WIRE_TYPE.get(id);
    if (expected !== undefined && (tag & 7) !== expected) throw new Unusual(`field ${id} with wire type ${tag & 7}`);
    if (id === NODE_FIELD) {
      // As the generated decoder: a fresh array at the first node, the nested decode one level deeper.
      if (!message.node?.length) message.node = [];
      const nodeStart = reader.pos;
      message.node.push(
        (nodeType.decode as unknown as Decoder<NodeDefMsg>).call(
          nodeType,
          reader,
          reader.uint32(),
          undefined,
          depth + 1,
        ),
      );
      sinceStep += reader.pos - nodeStart;
      if (sinceStep >= nodeBytesPerStep) {
        sinceStep = 0;
        yield;
      }
      continue;
    }
    reader.skipType(tag & 7, depth);
    const field = GraphDefType.fieldsById[id];
    if (field === undefined) continue; // unknown fields are skipped, as protobufjs does
    // A singular field decoded alone from its own bytes (views stay into `bytes`) and set, replacing an earlier one.
    const alone = decodeGraph.call(
      GraphDefType,
      Reader.create(bytes.subarray(start, reader.pos)),
      undefined,
      undefined,
      depth,
    );
    message[field.name] = alone[field.name];
  }
  return message;
}

/** `decodeGraphDef`, a batch of nodes per turn of the event loop; same result, same errors (`GraphDecodeError`). */
export async function decodeGraphDefCooperatively(
  bytes: Uint8Array,
  nodeBytesPerTurn = NODE_BYTES_PER_TURN,
): Promise<GraphDefMsg> {
  try {
    return await runInTurns(graphDefDecodeSteps(bytes, nodeBytesPerTurn));
  } catch {
    // Unusual input or an error: protobufjs's own answer, error message included.
    return decodeGraphDef(bytes);
  }
}

/** MetaGraphDef field number of `graph_def`, the only field featherboard's schema gives it. */
const META_GRAPH_DEF_FIELD = 2;

/**
 * The `graph_def` of a MetaGraphDef as steps: what `decodeMetaGraphDef(bytes).graphDef`
 * gives (the last one when there are several; undefined for none), every
 * one decoded as protobufjs would, so that a broken one fails alike.
 */
export function* metaGraphGraphSteps(
  bytes: Uint8Array,
  nodeBytesPerStep = NODE_BYTES_PER_TURN,
): Steps<GraphDefMsg | undefined> {
  const ids = MetaGraphDefType.fieldsArray.map((f) => f.id);
  if (ids.length !== 1 || ids[0] !== META_GRAPH_DEF_FIELD) throw new Unusual('schema changed');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Reader } = require('protobufjs') as typeof protobuf;
  const reader = Reader.create(bytes);
  let graph: GraphDefMsg | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== META_GRAPH_DEF_FIELD) {
      reader.skipType(tag & 7, 0);
      continue;
    }
    if ((tag & 7) !== 2) throw new Unusual(`graph_def with wire type ${tag & 7}`);
    const length = reader.uint32();
    const start = reader.pos;
    reader.skip(length);
    graph = yield* graphDefDecodeSteps(bytes.subarray(start, start + length), nodeBytesPerStep, 1);
  }
  return graph;
}

/** `decodeMetaGraphDef(bytes).graphDef`, a batch of nodes per turn of the event loop; same result, same errors. */
export async function decodeMetaGraphGraphCooperatively(
  bytes: Uint8Array,
  nodeBytesPerTurn = NODE_BYTES_PER_TURN,
): Promise<GraphDefMsg | undefined> {
  try {
    return await runInTurns(metaGraphGraphSteps(bytes, nodeBytesPerTurn));
  } catch {
    return decodeMetaGraphDef(bytes).graphDef ?? undefined;
  }
}
