import { watch, type FSWatcher } from 'chokidar';
import type { LogdirLoader, ReloadSummary } from './logdir-loader';

export interface WatchOptions {
  /** Seconds between reloads even without file events (`--reload_interval`); 0 = no polling. */
  reloadIntervalSec: number;
  /** Wait this long after a file event before reading, so a burst of writes is one read. */
  debounceMs?: number;
  /** Use chokidar's stat polling instead of OS file events (network mounts). */
  usePolling?: boolean;
  /** Watch file events at all (default true); false leaves only the `reloadIntervalSec` timer. */
  fileEvents?: boolean;
  /** A reload failed (the watcher keeps going). */
  onError?: (err: unknown) => void;
  /** A reload finished. */
  onReload?: (summary: ReloadSummary) => void;
}

export interface LogdirWatch {
  /** Resolves when the file watcher is ready (its initial scan is done). */
  ready: Promise<void>;
  /** Read now (coalesced with any reload under way). */
  reloadNow(): Promise<void>;
  close(): Promise<void>;
}

/** Debounce after a file event: short, so a flushed point is served fast. */
const DEFAULT_DEBOUNCE_MS = 50;

/**
 * Keeps a loader in step with its logdir: chokidar file events trigger an
 * incremental reload shortly after they arrive (the loader reads only new
 * bytes), and a timer reloads every `reloadIntervalSec` in case events never
 * come (network file systems). Reload errors are reported, never thrown.
 */
export function watchLogdir(loader: LogdirLoader, options: WatchOptions): LogdirWatch {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const reloadNow = async (): Promise<void> => {
    if (closed) return;
    try {
      const summary = await loader.reload();
      options.onReload?.(summary);
    } catch (err) {
      options.onError?.(err);
    }
  };

  // Not reset by later events: a steady stream of writes still reloads every debounceMs.
  const schedule = (): void => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void reloadNow();
    }, debounceMs);
  };

  let watcher: FSWatcher | undefined;
  let ready = Promise.resolve();
  if (options.fileEvents ?? true) {
    const w = watch(loader.logdir, {
      ignoreInitial: true,
      persistent: true,
      usePolling: options.usePolling ?? false,
      interval: 1000,
      ignorePermissionErrors: true,
    });
    w.on('all', schedule);
    w.on('error', (err) => options.onError?.(err));
    ready = new Promise<void>((resolve) => w.once('ready', () => resolve()));
    watcher = w;
  }

  const poll =
    options.reloadIntervalSec > 0 ? setInterval(() => void reloadNow(), options.reloadIntervalSec * 1000) : undefined;
  poll?.unref();

  return {
    ready,
    reloadNow,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (poll !== undefined) clearInterval(poll);
      await watcher?.close();
    },
  };
}
