import { type Command, Option } from 'commander';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LogdirWatch } from '../logdir/watch-logdir';
import { formatWarning } from '../warnings';
import { expandHome, parseLogdirSpec, type LogdirSpecEntry } from './logdir-spec';
import { parseBool } from './parse-options';
import { requireDirectory } from './path-flags';
import { UsageError } from './usage-error';

const DEFAULT_PORT = 6006;

/** TensorBoard flags accepted so launch scripts keep working; they change nothing here. */
const NO_EFFECT_FLAGS = [
  'load_fast',
  'reuse_port',
  'db',
  'db_import',
  'inspect',
  'version_tb',
  'tag',
  'event_file',
  'max_reload_threads',
  'reload_task',
  'reload_multifile',
  'reload_multifile_inactive_secs',
  'generic_data',
  'detect_file_replacement',
  'extra_data_server_flags',
  'grpc_creds_type',
  'grpc_data_provider',
  'master_tpu_unsecure_channel',
];
/** Of those, the ones that are switches (no value). */
const NO_EFFECT_SWITCHES = new Set(['db_import', 'inspect', 'version_tb']);

interface ServeFlags {
  logdir?: string;
  logdir_spec?: string;
  port: string;
  host?: string;
  bind_all?: boolean;
  reload_interval: string;
  samples_per_plugin?: string;
  purge_orphaned_data: string;
  path_prefix: string;
  window_title: string;
  [other: string]: unknown;
}

/**
 * `scalars=500,images=0` → { scalars: 500 }. As in TensorBoard's reservoirs, 0
 * (or `all`) keeps every point; a plugin not named keeps every point too
 * (featherboard's default, where TensorBoard samples).
 */
export function parseSamplesPerPlugin(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of spec.split(',')) {
    if (item.trim() === '') continue;
    const [name, value, ...rest] = item.split('=');
    if (name === undefined || value === undefined || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(name.trim())) {
      throw new UsageError(`--samples_per_plugin: expected plugin=N, got '${item}'`);
    }
    const v = value.trim();
    if (v === 'all') continue;
    if (!/^\d{1,9}$/.test(v)) throw new UsageError(`--samples_per_plugin: '${v}' is not a count for ${name.trim()}`);
    if (Number(v) > 0) out[name.trim()] = Number(v);
  }
  return out;
}

function parsePort(text: string): number {
  if (text === 'default') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, not '${text}'`);
  return Number(text);
}

function parseReloadInterval(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--reload_interval must be a non-negative number of seconds, not '${text}'`);
  return n;
}

function parsePathPrefix(text: string): string {
  if (text === '' || text === '/') return '';
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(text))
    throw new UsageError(`--path_prefix must be a URL path like /tensorboard, not '${text}'`);
  return text.replace(/\/+$/, '');
}

/** Resolves when the process is asked to stop (SIGINT / SIGTERM). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

/**
 * How long the "serving at" line waits for the initial load. The server
 * listens (and answers with what is loaded so far) from the start, as
 * TensorBoard does; a small logdir is complete by the time its URL shows,
 * a big one streams in behind it.
 */
const URL_LINE_GRACE_MS = 200;

async function serve(flags: ServeFlags): Promise<void> {
  for (const name of NO_EFFECT_FLAGS) {
    if (flags[name] !== undefined)
      process.stderr.write(`featherboard: --${name} has no effect here (accepted for TensorBoard compatibility)\n`);
  }
  if (flags.logdir !== undefined && flags.logdir_spec !== undefined)
    throw new UsageError('--logdir and --logdir_spec are mutually exclusive');
  if (flags.host !== undefined && flags.bind_all) throw new UsageError('--host and --bind_all are mutually exclusive');
  const entries: LogdirSpecEntry[] =
    flags.logdir_spec !== undefined
      ? parseLogdirSpec(flags.logdir_spec)
      : flags.logdir !== undefined
        ? [{ name: undefined, path: path.resolve(expandHome(flags.logdir)) }]
        : [];
  if (entries.length === 0) throw new UsageError('a logdir is required: featherboard --logdir DIR');
  for (const e of entries) requireDirectory(e.path, flags.logdir_spec !== undefined ? '--logdir_spec' : '--logdir');
  const port = parsePort(flags.port);
  const reloadIntervalSec = parseReloadInterval(flags.reload_interval);
  const samplesPerPlugin =
    flags.samples_per_plugin !== undefined ? parseSamplesPerPlugin(flags.samples_per_plugin) : {};
  const purgeOrphanedData = parseBool(flags.purge_orphaned_data, '--purge_orphaned_data');
  const pathPrefix = parsePathPrefix(flags.path_prefix);
  const host = flags.bind_all ? '::' : (flags.host ?? '127.0.0.1');

  // Loaded here, not at the top: other commands need neither express nor the loader.
  const [{ LogdirLoader }, { Store }, { PrefixedStore }] = await Promise.all([
    import('../logdir/logdir-loader'),
    import('../store/store'),
    import('../store/prefixed-store'),
  ]);
  const store = new Store({ purgeOrphanedData });
  const loaders = entries.map(
    (e) => new LogdirLoader(e.path, e.name === undefined ? store : new PrefixedStore(store, e.name), { workers: true }),
  );
  const dataLocation = flags.logdir_spec ?? (entries[0] as LogdirSpecEntry).path;
  store.onChange((c) => {
    if (c.type === 'warning') process.stderr.write(`featherboard: ${formatWarning(c.warning)}\n`);
  });
  const reportReloadError = (err: unknown): void => {
    process.stderr.write(`featherboard: reload failed: ${(err as Error).message ?? String(err)}\n`);
  };
  // Reading starts first (on worker threads), the web server is set up meanwhile, and
  // routes answer with what is loaded so far, as TensorBoard's do.
  const initialLoad = Promise.all(loaders.map((l) => l.reload())).then(
    () => undefined,
    (err: unknown) => reportReloadError(err),
  );
  const stopLoading = (): void => {
    for (const l of loaders) l.close();
  };

  const [{ createApp }, { ListenError, startServer }, { watchLogdir }] = await Promise.all([
    import('../server/create-app'),
    import('../server/start-server'),
    import('../logdir/watch-logdir'),
  ]);
  const app = createApp(store, {
    logdir: dataLocation,
    windowTitle: flags.window_title,
    samplesPerPlugin,
    pathPrefix,
    flags: {
      logdir: flags.logdir ?? '',
      logdir_spec: flags.logdir_spec ?? '',
      host,
      port,
      reload_interval: reloadIntervalSec,
      path_prefix: pathPrefix,
      window_title: flags.window_title,
      purge_orphaned_data: purgeOrphanedData,
      samples_per_plugin: samplesPerPlugin,
    },
  });
  const running = await startServer(app, host, port)
    .catch((err: unknown) => {
      // No IPv6 on this machine: every IPv4 interface is what --bind_all can give.
      if (flags.bind_all && err instanceof ListenError && (err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL'))
        return startServer(app, '0.0.0.0', port);
      throw err;
    })
    .catch((err: unknown) => {
      stopLoading();
      throw err;
    });
  // As TensorBoard: --reload_interval 0 reads the logdir once. Watching starts after the first pass.
  let closing = false;
  const watchesReady: Promise<LogdirWatch[]> = initialLoad.then(() => {
    if (reloadIntervalSec === 0 || closing) return [];
    const watches = loaders.map((l) => watchLogdir(l, { reloadIntervalSec, onError: reportReloadError }));
    // What was written while the first pass ran (before any watcher) is read at once, not at the next interval.
    for (const w of watches) void w.ready.then(() => w.reloadNow());
    return watches;
  });

  await Promise.race([initialLoad, new Promise((r) => setTimeout(r, URL_LINE_GRACE_MS).unref())]);
  const shownHost = flags.bind_all ? os.hostname() : host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `featherboard serving ${dataLocation} at http://${shownHost}:${running.port}${pathPrefix}/ ` +
      '(Press CTRL+C to quit)\n',
  );

  await untilSignal();
  closing = true;
  stopLoading();
  await running.close();
  // An initial load still under way stops at its next run (see LogdirLoader.close).
  const watches = await Promise.race([watchesReady, Promise.resolve<LogdirWatch[]>([])]);
  await Promise.all(watches.map((w) => w.close()));
}

/** `featherboard serve` (the default command): TensorBoard's flags, TensorBoard's HTTP API. */
export function registerServeCommand(program: Command): void {
  const cmd = program
    .command('serve', { isDefault: true })
    .description('Serve a logdir over HTTP, as TensorBoard does (the default command)')
    .option('--logdir <path>', 'directory to read event files from, recursively')
    .option('--logdir_spec <spec>', 'name1:/path/1,name2:/path/2 (runs named name/<run>)')
    .option('--port <port>', 'port to serve on; 0 picks a free one', String(DEFAULT_PORT))
    .option('--host <addr>', 'address to listen on (default 127.0.0.1, loopback only)')
    .option('--bind_all', 'listen on every interface (IPv4 and IPv6)')
    .option(
      '--reload_interval <seconds>',
      'also re-read the logdir this often (file events are used too); 0 = read once',
      '5',
    )
    .option(
      '--samples_per_plugin <spec>',
      'most points served per series, e.g. scalars=1000,images=10 (default: every point)',
    )
    .option('--purge_orphaned_data <bool>', 'drop points orphaned by a restart, as TensorBoard', 'true')
    .option('--path_prefix <path>', 'serve under this URL path, e.g. /tensorboard', '')
    .option('--window_title <title>', 'browser window title', '');
  for (const name of NO_EFFECT_FLAGS) {
    cmd.addOption(
      new Option(
        NO_EFFECT_SWITCHES.has(name) ? `--${name}` : `--${name} <value>`,
        'TensorBoard flag; no effect here',
      ).hideHelp(),
    );
  }
  cmd.action(async (flags: ServeFlags) => {
    await serve(flags);
  });
}
