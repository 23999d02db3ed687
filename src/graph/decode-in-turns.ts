import type * as protobuf from 'protobufjs';
import { runInTurns, type Steps } from './cooperative';
import { decodeGraphDef, GraphDefType, type GraphDefMsg, type NodeDefMsg } from './messages';

/**
 * A GraphDef decoded a batch of nodes per turn of the event loop (protobufjs
 * takes ~0.3 s for 100,000 nodes in one call). The result is the one of
 * `GraphDefType.decode`: the top-level fields are walked the way protobufjs's
 * generated decoder walks them, nodes are decoded with the same call it
 * makes, and every other field is decoded on its own and set as protobufjs
 * sets it (last one wins). Anything the walk might read differently (a known
 * field with another wire type) or any error falls back to one decode, so
 * odd input gets exactly protobufjs's result or error.
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

/** A generated protobufjs decoder, with the arguments the generated code passes to nested ones. */
type Decoder = (reader: protobuf.Reader, length: number, end: undefined, depth: number) => NodeDefMsg;

/**
 * The decoding as steps (see cooperative.ts); throws `Unusual` or
 * protobufjs's errors, which the callers turn into one plain decode.
 */
export function* graphDefDecodeSteps(bytes: Uint8Array, nodeBytesPerStep = NODE_BYTES_PER_TURN): Steps<GraphDefMsg> {
  const schema = new Set(GraphDefType.fieldsArray.map((f) => f.id));
  if (schema.size !== EXPECTED_WIRE_TYPE.size || [...schema].some((id) => !EXPECTED_WIRE_TYPE.has(id))) throw new Unusual('schema changed');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Reader } = require('protobufjs') as typeof protobuf;
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
      // As the generated decoder: a fresh array at the first node, the nested decode at depth 1.
      if (!(message.node && message.node.length)) message.node = [];
      const nodeStart = reader.pos;
      message.node.push((nodeType.decode as unknown as Decoder).call(nodeType, reader, reader.uint32(), undefined, 1));
      sinceStep += reader.pos - nodeStart;
      if (sinceStep >= nodeBytesPerStep) {
        sinceStep = 0;
        yield;
      }
      continue;
    }
    reader.skipType(tag & 7, 0);
    const field = GraphDefType.fieldsById[id];
    if (field === undefined) continue; // unknown fields are skipped, as protobufjs does
    // A singular field decoded alone from its own bytes (views stay into `bytes`) and set, replacing an earlier one.
    const alone = GraphDefType.decode(bytes.subarray(start, reader.pos)) as unknown as Record<string, unknown>;
    message[field.name] ??= alone[field.name];
  }
  return message;
}

/** `decodeGraphDef`, a batch of nodes per turn of the event loop; same result, same errors (`GraphDecodeError`). */
export async function decodeGraphDefCooperatively(bytes: Uint8Array, nodeBytesPerTurn = NODE_BYTES_PER_TURN): Promise<GraphDefMsg> {
  try {
    return await runInTurns(graphDefDecodeSteps(bytes, nodeBytesPerTurn));
  } catch {
    // Unusual input or an error: protobufjs's own answer, error message included.
    return decodeGraphDef(bytes);
  }
}
