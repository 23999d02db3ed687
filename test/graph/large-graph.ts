import * as fs from 'node:fs';
import * as path from 'node:path';
import { protoType } from '../../src/protobuf/schema';
import { GraphDefType, type GraphDefMsg, type NodeDefMsg } from '../../src/graph/messages';
import { encodeRecord } from '../../src/tfrecord/encode-record';

/**
 * A synthetic TF1-like GraphDef of any size, for the large-graph test and
 * the measuring script: MatMul ops with two inputs (one a control input),
 * `T` and `_output_shapes` attributes, a weight constant every 10 nodes,
 * names in scopes `block<k>/layer<j>/op<i>`.
 */
export function largeGraphDef(nodeCount: number): GraphDefMsg {
  const nodes: NodeDefMsg[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const scope = `block${Math.floor(i / 1000)}/layer${Math.floor(i / 50) % 20}`;
    const shape = { dim: [{ size: -1 }, { size: 64 }] };
    const node: NodeDefMsg = {
      name: `${scope}/op${i}`,
      op: i % 10 === 0 ? 'Const' : 'MatMul',
      attr: { T: { type: 1 }, _output_shapes: { list: { shape: [shape] } } },
    };
    if (i % 10 === 0) {
      (node.attr as Record<string, unknown>).value = {
        tensor: { dtype: 1, tensorShape: { dim: [{ size: 8 }, { size: 8 }] }, tensorContent: Buffer.alloc(256, 1) },
      };
    } else {
      node.input = [
        (nodes[i - 1] as NodeDefMsg).name as string,
        `^${(nodes[Math.max(0, i - 7)] as NodeDefMsg).name as string}`,
      ];
    }
    nodes.push(node);
  }
  return { node: nodes, versions: { producer: 1205 } };
}

/**
 * Writes one event file holding the graph as a `graph_def` event into `dir` (the run "."); returns the GraphDef's size
 * in bytes.
 */
export function writeLargeGraphLogdir(dir: string, nodeCount: number): number {
  const bytes = GraphDefType.encode(GraphDefType.fromObject(largeGraphDef(nodeCount))).finish();
  const Event = protoType('Event');
  const events = [
    Event.encode({ wallTime: 1, fileVersion: 'brain.Event:2' }).finish(),
    Event.encode({ wallTime: 2, graphDef: bytes }).finish(),
  ];
  fs.writeFileSync(path.join(dir, 'events.out.tfevents.1.large'), Buffer.concat(events.map((e) => encodeRecord(e))));
  return bytes.length;
}
