import type * as protobuf from 'protobufjs';
import { FIELD } from '../protobuf/generated/field-numbers';
import { WIRE_TYPE, WireReader } from '../protobuf/wire-reader';
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
 * `GraphDefType.decode`: the top-level fields are walked with the wire
 * reader (src/protobuf/wire-reader.ts) the way protobufjs's generated
 * decoder walks them, each node is decoded by protobufjs from its own bytes
 * (at the nesting depth a whole decode would reach it, for protobufjs's
 * recursion limit), and every other field is decoded on its own and set as
 * protobufjs sets it (last one wins). Anything the walk might read
 * differently (a known field with another wire type, a group, a key or
 * length not written in at most five bytes) or any error falls back to one
 * decode, so odd input gets exactly protobufjs's result or error. A
 * MetaGraphDef's graph is decoded the same way.
 */

/** Node bytes decoded per turn: about 5 ms of protobufjs work. */
export const NODE_BYTES_PER_TURN = 256 * 1024;

/** GraphDef field number → the wire type protobufjs's decoder assumes for it. */
const EXPECTED_WIRE_TYPE: ReadonlyMap<number, number> = new Map([
  [FIELD.GraphDef.node, WIRE_TYPE.LENGTH_DELIMITED],
  [FIELD.GraphDef.library, WIRE_TYPE.LENGTH_DELIMITED],
  [FIELD.GraphDef.version, WIRE_TYPE.VARINT],
  [FIELD.GraphDef.versions, WIRE_TYPE.LENGTH_DELIMITED],
  [FIELD.GraphDef.debug_info, WIRE_TYPE.LENGTH_DELIMITED],
]);

/** The walk met something protobufjs might read another way: decode in one piece instead. */
class Unusual extends Error {}

/**
 * A generated protobufjs decoder, with the arguments the generated code passes to nested ones (`depth` counts nesting).
 */
type Decoder<T> = (reader: protobuf.Reader, length: number | undefined, end: undefined, depth: number) => T;

/**
 * A field's value passed over as protobufjs's skipType reads it (keys and
 * lengths as uint32), or Unusual where it would read otherwise.
 */
function skipField(r: WireReader, wireType: number): void {
  if (wireType === WIRE_TYPE.LENGTH_DELIMITED) r.take(r.varint32());
  else if (wireType === WIRE_TYPE.VARINT || wireType === WIRE_TYPE.FIXED64 || wireType === WIRE_TYPE.FIXED32)
    r.skip(wireType);
  else throw new Unusual(`wire type ${wireType}`);
}

/**
 * The decoding as steps (see cooperative.ts); throws `Unusual`, the wire
 * reader's or protobufjs's errors, which the callers turn into one plain
 * decode. `depth` is the GraphDef's nesting in the message being decoded
 * (1 inside a MetaGraphDef), for protobufjs's recursion limit.
 */
export function* graphDefDecodeSteps(
  bytes: Uint8Array,
  nodeBytesPerStep = NODE_BYTES_PER_TURN,
  depth = 0,
): Steps<GraphDefMsg> {
  const schema = new Set(GraphDefType.fieldsArray.map((f) => f.id));
  if (schema.size !== EXPECTED_WIRE_TYPE.size || [...schema].some((id) => !EXPECTED_WIRE_TYPE.has(id)))
    throw new Unusual('schema changed');
  // Required here, not imported: protobufjs loads with the schema, on first use.
  const { Reader } = require('protobufjs') as typeof protobuf;
  // The generated decoder takes the depth; the one before setup would drop it.
  if (!Object.hasOwn(GraphDefType, 'decode')) GraphDefType.setup();
  const decodeGraph = GraphDefType.decode as unknown as Decoder<Record<string, unknown>>;
  const nodeType = (GraphDefType.fieldsById[FIELD.GraphDef.node] as protobuf.Field).resolvedType as protobuf.Type;
  if (!Object.hasOwn(nodeType, 'decode')) nodeType.setup();
  const decodeNode = nodeType.decode as unknown as Decoder<NodeDefMsg>;
  const r = new WireReader(bytes);
  const reader = Reader.create(bytes);
  const message = new GraphDefType.ctor() as unknown as Record<string, unknown> & GraphDefMsg;
  let sinceStep = 0;
  while (!r.done) {
    const start = r.pos;
    const { field: id, wireType } = r.key();
    const expected = EXPECTED_WIRE_TYPE.get(id);
    if (expected !== undefined && wireType !== expected) throw new Unusual(`field ${id} with wire type ${wireType}`);
    if (id === FIELD.GraphDef.node) {
      // As the generated decoder: a fresh array at the first node, the nested decode one level deeper.
      if (!message.node?.length) message.node = [];
      const length = r.varint32();
      const nodeStart = r.pos;
      r.take(length);
      // protobufjs reads the node where the walk found it.
      reader.pos = nodeStart;
      message.node.push(decodeNode.call(nodeType, reader, length, undefined, depth + 1));
      sinceStep += length;
      if (sinceStep >= nodeBytesPerStep) {
        sinceStep = 0;
        yield;
      }
      continue;
    }
    skipField(r, wireType);
    const field = GraphDefType.fieldsById[id];
    if (field === undefined) continue; // unknown fields are skipped, as protobufjs does
    // A singular field decoded alone from its own bytes (views stay into `bytes`) and set, replacing an earlier one.
    const alone = decodeGraph.call(
      GraphDefType,
      Reader.create(bytes.subarray(start, r.pos)),
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

/** MetaGraphDef's `graph_def`, the only field featherboard's schema gives it. */
const META_GRAPH_DEF_FIELD = FIELD.MetaGraphDef.graph_def;

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
  const r = new WireReader(bytes);
  let graph: GraphDefMsg | undefined;
  while (!r.done) {
    const { field, wireType } = r.key();
    if (field !== META_GRAPH_DEF_FIELD) {
      skipField(r, wireType);
      continue;
    }
    if (wireType !== WIRE_TYPE.LENGTH_DELIMITED) throw new Unusual(`graph_def with wire type ${wireType}`);
    graph = yield* graphDefDecodeSteps(r.take(r.varint32()), nodeBytesPerStep, 1);
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
