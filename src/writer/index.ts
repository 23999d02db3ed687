export { EventWriter, FILE_VERSION, eventFileName } from './event-writer';
export type {
  EventWriterOptions,
  ScalarStyle,
  PointOptions,
  ScalarOptions,
  ImageOptions,
  HistogramOptions,
} from './event-writer';
export type { EncodedImage } from './summary-values';
export { defaultBucketLimits, legacyHistogram, tf2HistogramRows } from './histogram-buckets';
