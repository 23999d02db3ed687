/** The flags of `featherboard graph`, apart from the command (graph-command.ts) and the work (graph-export.ts). */

export const GRAPH_FORMATS = ['txt', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export interface GraphFlags {
  logdir?: string;
  run?: string;
  tag?: string;
  format: string;
}
