export { Store, compareCodePoints } from './store';
export type { StoreChange, StoreListener } from './store';
export { PrefixedStore } from './prefixed-store';
export { RunData, parseFileVersion } from './run-data';
export type { FileRef, RunOptions } from './run-data';
export { TagSeries } from './tag-series';
export type { SeriesPoint, StoredTensor } from './tag-series';
export { readBlob } from './read-blob';
export type { NumericColumnView } from './columns';
