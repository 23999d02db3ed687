export { discoverRuns, isEventFileName, relativeName, runNameFor } from './discover-runs';
export type { DiscoveredRun } from './discover-runs';
export { EventFileTailer } from './event-file-tailer';
export type { TailResult, TailerOptions } from './event-file-tailer';
export { LogdirLoader } from './logdir-loader';
export type { LoaderOptions, ReloadSummary } from './logdir-loader';
export { loadRun } from './load-run';
export { watchLogdir } from './watch-logdir';
export type { LogdirWatch, WatchOptions } from './watch-logdir';
