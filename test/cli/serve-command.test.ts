import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { LOGDIRS } from '../support/golden-form';

/** Runs the CLI in-process, capturing what it writes. */
function runCli(args: string[]): { done: Promise<number>; out: () => string; err: () => string; restore: () => void } {
  let out = '';
  let err = '';
  const outSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  let running = true;
  const done = main(['node', 'featherboard', ...args]).finally(() => {
    running = false;
  });
  return {
    done,
    out: () => out,
    err: () => err,
    restore: () => {
      // A test that failed while serving: stop the server, or it keeps jest from exiting.
      if (running) process.emit('SIGTERM');
      outSpy.mockRestore();
      errSpy.mockRestore();
    },
  };
}

async function waitFor<T>(probe: () => T | undefined, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on('error', reject);
  });
}

/**
 * The answer once the server has read what it is asked about: it listens while runs are still being read (on worker
 * threads, as TensorBoard answers with what is loaded so far), so the URL line may come first.
 */
async function getLoaded(url: string, ready: (body: unknown) => boolean): Promise<{ status: number; body: unknown }> {
  const end = Date.now() + 10000;
  for (;;) {
    const res = await getJson(url);
    if ((res.status === 200 && ready(res.body)) || Date.now() > end) return res;
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

it('serves a logdir on a free port with --port 0, prints the URL, stops on SIGTERM', async () => {
  const cli = runCli(['--logdir', path.join(LOGDIRS, 'keras'), '--port', '0', '--load_fast=false']);
  try {
    const url = await waitFor(() => /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.out())?.[1]);
    expect(cli.err()).toContain('--load_fast has no effect');
    const runs = await getLoaded(`${url}data/runs`, (body) => (body as string[]).length >= 2);
    expect(runs).toEqual({ status: 200, body: ['train', 'validation'] });
    process.emit('SIGTERM');
    await expect(cli.done).resolves.toBe(0);
    await expect(getJson(`${url}data/runs`)).rejects.toThrow();
  } finally {
    cli.restore();
  }
});

it('takes `serve` explicitly, with --path_prefix and --window_title', async () => {
  const cli = runCli([
    'serve',
    '--logdir',
    path.join(LOGDIRS, 'keras'),
    '--port',
    '0',
    '--path_prefix',
    '/tb',
    '--window_title',
    'mine',
  ]);
  try {
    const url = await waitFor(() => /at (http:\/\/127\.0\.0\.1:\d+\/tb\/)/.exec(cli.out())?.[1]);
    expect(await getJson(`${url}data/window_properties`)).toEqual({ status: 200, body: { window_title: 'mine' } });
    process.emit('SIGINT');
    await expect(cli.done).resolves.toBe(0);
  } finally {
    cli.restore();
  }
});

it('exits 2 with one line for an unknown flag', async () => {
  const cli = runCli(['--logdir', LOGDIRS, '--no_such_flag']);
  try {
    await expect(cli.done).resolves.toBe(2);
    expect(cli.err().trim().split('\n')).toHaveLength(1);
    expect(cli.err()).toContain('--no_such_flag');
  } finally {
    cli.restore();
  }
});

it.each([
  [[] as string[], 'a logdir is required'],
  [['--logdir', path.join(LOGDIRS, 'no_such_dir')], 'does not exist'],
  [['--logdir', LOGDIRS, '--port', 'http'], '--port'],
  [['--logdir', LOGDIRS, '--samples_per_plugin', 'scalars'], '--samples_per_plugin'],
  [['--logdir', LOGDIRS, '--host', '127.0.0.1', '--bind_all'], 'mutually exclusive'],
])('exits 2 with one clear line for %j', async (args, message) => {
  const cli = runCli(args);
  try {
    await expect(cli.done).resolves.toBe(2);
    expect(cli.err().trim().split('\n')).toHaveLength(1);
    expect(cli.err()).toContain(message);
  } finally {
    cli.restore();
  }
});

it('exits 1 with one clear line when the port is taken', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  const cli = runCli(['--logdir', path.join(LOGDIRS, 'keras'), '--port', String(port)]);
  try {
    await expect(cli.done).resolves.toBe(1);
    expect(cli.err()).toContain(`port ${port} is already in use`);
    expect(cli.err().trim().split('\n')).toHaveLength(1);
  } finally {
    cli.restore();
    await new Promise((r) => blocker.close(r));
  }
});

it('keeps orphaned points with --purge_orphaned_data false, and listens everywhere with --bind_all', async () => {
  const cli = runCli([
    '--logdir',
    path.join(LOGDIRS, 'tf1_restart'),
    '--port',
    '0',
    '--bind_all',
    '--purge_orphaned_data',
    'false',
    '--reload_interval',
    '0',
  ]);
  try {
    const port = await waitFor(() => /:(\d+)\/ \(Press/.exec(cli.out())?.[1]);
    const res = await getLoaded(
      `http://127.0.0.1:${port}/data/plugin/scalars/scalars?run=session_restart&tag=loss`,
      () => true,
    );
    // 21 points before the restart and 6 after: nothing dropped (TensorBoard's purge keeps 16).
    expect((res.body as unknown[]).length).toBe(27);
    process.emit('SIGINT');
    await expect(cli.done).resolves.toBe(0);
  } finally {
    cli.restore();
  }
});
