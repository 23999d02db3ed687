export { discoverRuns, isEventFileName, runNameFor } from './discover-runs';
export type { DiscoveredRun } from './discover-runs';
export { EventFileTailer } from './event-file-tailer';
export { LogdirLoader } from './logdir-loader';
export type { ReloadSummary } from './logdir-loader';
export { loadRun } from './load-run';
