export { formatReport } from './format-report';
export { inspectLogdir } from './inspect-logdir';
export type { InspectReport, RunReport, TagReport } from './inspect-logdir';
