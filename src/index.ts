/**
 * featherboard's library API: read tfevents logdirs exactly as TensorBoard does, keep them in step while they grow,
 * export, inspect, serve and write them.
 *
 * - Reading: `LogdirLoader(logdir, store).reload()` fills a `Store` (runs → tags → columnar `TagSeries`);
 *   `watchLogdir(loader, options)` keeps it in step; `loadRun` reads one run of `discoverRuns(logdir)` completely.
 *   `PrefixedStore` serves several logdirs as one (`--logdir_spec`).
 * - Lower layers: `RecordReader` (TFRecord framing and CRC, patient with partial input), `EventFileDecoder`
 *   (Event protos → typed data, TensorBoard's migrations), `EventFileTailer` (one file, read incrementally).
 * - Export and inspect: `exportLogdir` (CSV, JSON Lines, JSON; `strict` stops at the first warning),
 *   `inspectLogdir` and `formatReport` (what a logdir holds and what is damaged, with byte offsets).
 * - Serving: `createApp(store, options)`, an Express app answering TensorBoard's HTTP API, with no side effects.
 * - Writing: `EventWriter` (event files TensorBoard reads).
 * - Problems in the data are `DataWarning`s with a stable code, file and byte offset (`WARNING_CODES`); a built
 *   file that is missing (the WebAssembly modules, the worker scripts) is a `MissingAssetError`.
 */
export { MissingAssetError } from './assets';
export * from './warnings';
export * from './tfrecord';
export * from './events';
export * from './store';
export * from './logdir';
export * from './export';
export * from './inspect';
export { createApp } from './server/create-app';
export type { ServerOptions } from './server/server-options';
export * from './writer';
