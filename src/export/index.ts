export { EXPORT_PLUGINS, exportLogdir } from './export-logdir';
export type { ExportOptions, ExportPlugin, ExportSummary } from './export-logdir';
export { EXPORT_FORMATS } from './row-sink';
export type { ExportFormat } from './row-sink';
