import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DATA_CLASS_NAMES } from '../events/types';
import { discoverRuns, relativeName, runNameFor, type DiscoveredRun } from '../logdir/discover-runs';
import { loadRun } from '../logdir/load-run';
import type { DataWarning } from '../warnings';

export interface TagReport {
  tag: string;
  count: number;
  firstStep: number | null;
  lastStep: number | null;
  minWallTime: number | null;
  maxWallTime: number | null;
  dataClass: string;
}

export interface RunReport {
  name: string;
  files: { path: string; bytes: number }[];
  plugins: Record<string, TagReport[]>;
  graph: boolean;
  purgedPoints: number;
  warnings: DataWarning[];
}

export interface InspectReport {
  logdir: string;
  runs: RunReport[];
  warnings: DataWarning[];
}

/**
 * What is in a logdir (or one event file): per run and plugin, each tag with
 * its point count, step and wall-time range; the files with their sizes; and
 * every warning with its byte offset. One run in memory at a time.
 */
export async function inspectLogdir(
  target: { logdir: string } | { eventFile: string },
  purgeOrphanedData = true,
): Promise<InspectReport> {
  let logdir: string;
  let runs: DiscoveredRun[];
  const topWarnings: DataWarning[] = [];
  if ('eventFile' in target) {
    logdir = path.dirname(target.eventFile);
    runs = [{ name: runNameFor(logdir, logdir), dir: logdir, files: [path.resolve(target.eventFile)] }];
    logdir = path.resolve(logdir);
  } else {
    logdir = target.logdir;
    runs = await discoverRuns(logdir, (w) => topWarnings.push(w));
  }
  const reports: RunReport[] = [];
  for (const r of runs) {
    const warnings: DataWarning[] = [];
    const run = await loadRun(logdir, r, { purgeOrphanedData }, (w) => warnings.push(w));
    const files = await Promise.all(
      r.files.map(async (f) => ({
        path: relativeName(logdir, f),
        bytes: (await fs.stat(f).catch(() => ({ size: 0 }))).size,
      })),
    );
    const plugins: Record<string, TagReport[]> = {};
    for (const [tag, s] of run.series) {
      const md = run.metadata.get(tag);
      const plugin = md?.pluginName || '(no plugin)';
      let firstStep: number | null = null;
      let lastStep: number | null = null;
      let minWall: number | null = null;
      let maxWall: number | null = null;
      for (let i = 0; i < s.length; i++) {
        const step = s.steps.get(i);
        const wall = s.wallTimes.get(i);
        if (firstStep === null) firstStep = step;
        lastStep = step;
        if (minWall === null || wall < minWall) minWall = wall;
        if (maxWall === null || wall > maxWall) maxWall = wall;
      }
      (plugins[plugin] ??= []).push({
        tag,
        count: s.length,
        firstStep,
        lastStep,
        minWallTime: minWall,
        maxWallTime: maxWall,
        dataClass: DATA_CLASS_NAMES[md?.dataClass ?? 0] ?? 'DATA_CLASS_UNKNOWN',
      });
    }
    reports.push({
      name: r.name,
      files,
      plugins,
      graph: run.graph !== undefined,
      purgedPoints: run.purgedPoints,
      warnings,
    });
  }
  return { logdir, runs: reports, warnings: topWarnings };
}
