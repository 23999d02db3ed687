import type { Request, Response } from 'express';
import type { RunJson, RunsResponse, TagInfoJson } from '../../../common/responses/viewer-api';
import type { Store } from '../../../store/store';
import { sendJson } from '../../http/send';

/** GET /api/runs — every run (TensorBoard's order) with its tags per plugin. */
export function runsHandler(store: Store) {
  return (_req: Request, res: Response): void => {
    const runs: RunJson[] = store.runNames().map((name) => {
      const run = store.run(name)!;
      const plugins: Record<string, TagInfoJson[]> = {};
      for (const [tag, md] of run.metadata) {
        if (!md.pluginName) continue;
        const s = run.series.get(tag);
        const count = s?.length ?? 0;
        const info: TagInfoJson = {
          tag,
          count,
          lastStep: s !== undefined && count > 0 ? s.steps.get(count - 1) : null,
          displayName: md.displayName,
          description: md.description,
        };
        (plugins[md.pluginName] ??= []).push(info);
      }
      return {
        name,
        plugins,
        firstEventTime: run.firstEventTime ?? null,
        graph: run.graph !== undefined || run.metaGraph !== undefined,
      };
    });
    sendJson(res, { runs } satisfies RunsResponse);
  };
}
