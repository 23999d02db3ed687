import type { JsonNumber } from '../format-number';

/**
 * The JSON of the viewer's own API (`/api/...`, see src/server/routes/viewer-api.ts for the
 * routes and their parameters). The server's handlers build values that `satisfies` these
 * types; viewer/src/api.ts and the views read them. Numbers that may be non-finite are
 * `JsonNumber`s: "NaN", "Infinity", "-Infinity" travel as strings.
 */

/** One tag of a run, for one plugin. */
export interface TagInfoJson {
  tag: string;
  /** Points stored (every one; nothing is sampled away). */
  count: number;
  lastStep: number | null;
  displayName: string;
  description: string;
}

export interface RunJson {
  name: string;
  /** Tags per plugin name, in order of first appearance. */
  plugins: Record<string, TagInfoJson[]>;
  firstEventTime: number | null;
  /** The run has a GraphDef or MetaGraphDef event (graphs without a tag). */
  graph: boolean;
}

/** `GET /api/runs`. */
export interface RunsResponse {
  runs: RunJson[];
}

/** One run's slice of a tag, columnar, as uPlot wants it. */
export interface ScalarSeriesJson {
  run: string;
  steps: number[];
  wallTimes: number[];
  values: JsonNumber[];
  /** Pass back as `since` to get only what arrives later. */
  cursor: string;
  /** True when these points replace what the client held (not an append). */
  reset: boolean;
  /** Points in the requested range (before downsampling). */
  total: number;
  downsampled: boolean;
  /** With `smoothing=w`: TensorBoard's smoothing over the whole series, at the points sent. */
  smoothed?: JsonNumber[];
  /** The run or the tag does not exist (yet). */
  missing?: true;
}

/** `GET /api/scalars`. */
export interface ScalarsResponse {
  tag: string;
  width: number;
  series: ScalarSeriesJson[];
}

/** One step of an image series: its size (from the summary) and how many images it holds. */
export interface ImageStepJson {
  /** The point's index in the series, for `/api/blob`. */
  index: number;
  step: number;
  wallTime: number;
  width: number | null;
  height: number | null;
  samples: number;
}

/** `GET /api/images`. */
export interface ImagesResponse {
  run: string;
  tag: string;
  steps: ImageStepJson[];
}

export interface AudioStepJson {
  index: number;
  step: number;
  wallTime: number;
  samples: number;
  labels: string[];
}

/** `GET /api/audio`. */
export interface AudioResponse {
  run: string;
  tag: string;
  steps: AudioStepJson[];
}

export interface HistogramPointJson {
  step: number;
  wallTime: number;
  /** `[left, right, count]` per bucket. */
  buckets: JsonNumber[][];
}

/** `GET /api/histograms`. */
export interface HistogramsResponse {
  run: string;
  tag: string;
  /** Points stored (the answer holds at most `samples` of them). */
  total: number;
  points: HistogramPointJson[];
}

export interface PrCurvePointJson {
  step: number;
  wallTime: number;
  thresholds: number[];
  truePositives: JsonNumber[];
  falsePositives: JsonNumber[];
  trueNegatives: JsonNumber[];
  falseNegatives: JsonNumber[];
  precision: JsonNumber[];
  recall: JsonNumber[];
}

/** `GET /api/pr_curves`. */
export interface PrCurvesResponse {
  run: string;
  tag: string;
  points: PrCurvePointJson[];
}

/** An hparam value: a number (non-finite as a string), a string or a boolean; null when unset. */
export type HParamValueJson = JsonNumber | boolean | null;

export interface HParamsMetricJson {
  /** `group/tag`, or `tag` for the session run itself: the key of `metrics` in each session. */
  key: string;
  name: string;
  group: string;
  tag: string;
}

export interface HParamsSessionJson {
  run: string;
  hparams: Record<string, HParamValueJson>;
  /** The last value of each metric, null when the session has none. */
  metrics: Record<string, JsonNumber | null>;
}

/** `GET /api/hparams`. */
export interface HParamsResponse {
  hparams: string[];
  metrics: HParamsMetricJson[];
  sessions: HParamsSessionJson[];
}

/** The `data` of each event of `GET /api/events` (Server-Sent Events), by event name. */
export interface EventStreamData {
  'run-added': { run: string };
  'run-removed': { run: string };
  /** Tags that received points. */
  data: { run: string; tags: string[] };
  warning: { code: string; message: string; file: string | null; offset: number | null };
}
