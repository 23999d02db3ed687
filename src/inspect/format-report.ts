import { formatWarning } from '../warnings';
import type { InspectReport } from './inspect-logdir';

function isoTime(seconds: number | null): string {
  if (seconds === null) return '-';
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}

/** The inspect report as text for a terminal. */
export function formatReport(report: InspectReport): string {
  const lines: string[] = [];
  lines.push(`logdir ${report.logdir}: ${report.runs.length} run${report.runs.length === 1 ? '' : 's'}`);
  for (const w of report.warnings) lines.push(`  warning ${formatWarning(w)}`);
  for (const run of report.runs) {
    lines.push('');
    lines.push(`run ${run.name}`);
    for (const f of run.files) lines.push(`  file ${f.path} (${f.bytes} bytes)`);
    if (run.graph) lines.push('  graph: yes (graph_def)');
    if (run.purgedPoints > 0) lines.push(`  purged: ${run.purgedPoints} points orphaned by restarts (as TensorBoard)`);
    for (const plugin of Object.keys(run.plugins).sort()) {
      lines.push(`  ${plugin}`);
      for (const t of run.plugins[plugin] ?? []) {
        const steps = t.count === 0 ? 'no points' : `steps ${t.firstStep}..${t.lastStep}`;
        const points = `${t.count} point${t.count === 1 ? '' : 's'}`;
        lines.push(`    ${t.tag}: ${points}, ${steps}, ${isoTime(t.minWallTime)} .. ${isoTime(t.maxWallTime)}`);
      }
    }
    for (const w of run.warnings) lines.push(`  warning ${formatWarning(w)}`);
  }
  const total = report.warnings.length + report.runs.reduce((n, r) => n + r.warnings.length, 0);
  lines.push('');
  lines.push(
    total === 0
      ? 'no damage found'
      : `${total} warning${total === 1 ? '' : 's'}: damaged records were skipped, every intact record was kept`,
  );
  return `${lines.join('\n')}\n`;
}
