import type { JsonNumber } from '../format-number';

/**
 * The JSON of the TensorBoard routes (`/data/...`) that featherboard's viewer reads too. Their
 * shape is TensorBoard 2.21's (the server's golden replay holds it to that); these types are the
 * viewer's reading of it, and the handlers `satisfies` them.
 */

/** `GET /data/runs`: run names, by first event time, then name. */
export type DataRunsResponse = string[];

/** One row of `/data/plugin/scalars/scalars`: `[wall_time, step, value]`. */
export type ScalarRowJson = [wallTime: number, step: number, value: JsonNumber];

/** `GET /data/plugin/text/text?run&tag`: each step's text as sanitized HTML. */
export type TextResponse = { wall_time: number; step: number; text: string }[];

/** `[basis point, value]`: the value at that basis point of cumulative weight. */
export type DistributionPointJson = [basisPoint: number, value: JsonNumber];

/** `GET /data/plugin/distributions/distributions?run&tag`: `[wall_time, step, [[bp, value] × 9]]` per step. */
export type DistributionsResponse = [wallTime: number, step: number, points: DistributionPointJson[]][];

/** `GET /data/plugin/projector/runs`: runs with a projector config. */
export type ProjectorRunsResponse = string[];
