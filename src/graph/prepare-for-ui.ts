import { attrByteSize, type GraphDefMsg } from './messages';

/** What the graph dashboard sends: drop attributes over this many bytes and list their keys here. */
export interface AttrLimit {
  limitAttrSize: number;
  largeAttrsKey: string;
}

/**
 * TensorBoard's `prepare_graph_for_ui`, on a graph it may change in place:
 * every node attribute whose serialized size exceeds the limit is removed
 * and its key appended to the list attribute `largeAttrsKey`.
 */
export function dropLargeAttrs(graph: GraphDefMsg, limit: AttrLimit): void {
  for (const node of graph.node ?? []) {
    const attr = node.attr;
    if (attr === undefined) continue;
    let kept: typeof attr | undefined;
    const tooLarge: Uint8Array[] = [];
    for (const key of Object.keys(attr)) {
      const value = attr[key];
      if (value !== undefined && attrByteSize(value) > limit.limitAttrSize) {
        kept ??= { ...attr };
        delete kept[key];
        tooLarge.push(Buffer.from(key, 'utf8'));
      }
    }
    if (kept === undefined) continue;
    const existing = kept[limit.largeAttrsKey];
    const listed = existing?.list?.s ?? [];
    kept[limit.largeAttrsKey] = { list: { ...existing?.list, s: [...listed, ...tooLarge] } };
    node.attr = kept;
  }
}
