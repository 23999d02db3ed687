import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverRuns, isEventFileName } from '../../src/logdir/discover-runs';
import { LOCAL_READ_CHUNK_BYTES, LocalSource } from '../../src/source/local-source';
import { isSourceError, type SourceError } from '../../src/source/source-error';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'logdirs');

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-local-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; sizes: number[] }> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

async function failure(work: () => Promise<unknown>): Promise<SourceError> {
  try {
    await work();
  } catch (err) {
    if (isSourceError(err)) return err;
    throw err;
  }
  throw new Error('expected a SourceError');
}

describe('listing', () => {
  test.each(['.', 'damaged', 'keras', 'pytorch', 'tf2'])(
    'fixture logdir %s: the runs and files discoverRuns finds',
    async (name) => {
      const root = path.join(FIXTURES, name);
      const src = new LocalSource(root);
      const runs = new Map<string, string[]>();
      for await (const e of src.list()) {
        if (!isEventFileName(path.basename(e.path))) continue;
        const run = src.relative(src.parent(e.path)) || '.';
        runs.set(run, [...(runs.get(run) ?? []), e.path]);
      }
      const expected = (await discoverRuns(root)).map((r) => ({ name: r.name, files: r.files }));
      const got = [...runs].map(([n, files]) => ({ name: n, files: files.sort() }));
      expect(got.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(expected);
    },
  );

  test('links to files are files; links to directories are not followed; broken links are left out', async () => {
    await fs.mkdir(path.join(dir, 'run', 'deep'), { recursive: true });
    await fs.writeFile(path.join(dir, 'run', 'deep', 'a.txt'), 'a');
    await fs.mkdir(path.join(dir, 'elsewhere'));
    await fs.writeFile(path.join(dir, 'elsewhere', 'b.txt'), 'b');
    await fs.symlink(path.join(dir, 'elsewhere', 'b.txt'), path.join(dir, 'run', 'link-to-file'));
    await fs.symlink(path.join(dir, 'elsewhere'), path.join(dir, 'run', 'link-to-dir'));
    await fs.symlink(path.join(dir, 'missing'), path.join(dir, 'run', 'broken'));
    const src = new LocalSource(dir);
    const listed: string[] = [];
    for await (const e of src.list()) listed.push(src.relative(e.path));
    expect(listed.sort()).toEqual(['elsewhere/b.txt', 'run/deep/a.txt', 'run/link-to-file']);
  });

  test('a directory that cannot be listed is reported, and listing goes on', async () => {
    await fs.writeFile(path.join(dir, 'x.txt'), 'x');
    const src = new LocalSource(dir);
    const unreadable: [string, string][] = [];
    const listed: string[] = [];
    for await (const e of src.list(path.join(dir, 'vanished'), { onUnreadable: (d, why) => unreadable.push([d, why]) }))
      listed.push(e.path);
    expect(listed).toEqual([]);
    expect(unreadable).toEqual([[path.join(dir, 'vanished'), 'ENOENT']]);
  });
});

describe('reading', () => {
  const data = randomBytes(3 * LOCAL_READ_CHUNK_BYTES + 1000);

  beforeEach(async () => {
    await fs.writeFile(path.join(dir, 'f.bin'), data);
  });

  test('chunks of 512 KiB from an offset to the end, or for a length', async () => {
    const src = new LocalSource(dir);
    const file = path.join(dir, 'f.bin');
    const all = await collect(src.read(file, 0));
    expect(all.bytes.equals(data)).toBe(true);
    expect(all.sizes).toEqual([LOCAL_READ_CHUNK_BYTES, LOCAL_READ_CHUNK_BYTES, LOCAL_READ_CHUNK_BYTES, 1000]);
    const part = await collect(src.read(file, 100, 600_000));
    expect(part.bytes.equals(data.subarray(100, 600_100))).toBe(true);
    expect((await collect(src.read(file, data.length))).sizes).toEqual([]);
  });

  test('reads up to the size the file has when the read starts, as the tailer always has', async () => {
    const src = new LocalSource(dir);
    const file = path.join(dir, 'f.bin');
    const chunks = src.read(file, 0)[Symbol.asyncIterator]();
    await chunks.next();
    await fs.appendFile(file, Buffer.alloc(10_000, 1));
    let rest = 0;
    for (let r = await chunks.next(); r.done !== true; r = await chunks.next()) rest += r.value.length;
    expect(LOCAL_READ_CHUNK_BYTES + rest).toBe(data.length);
  });

  test('stat: size, time and the inode as version; an append keeps it, a replacement changes it', async () => {
    const src = new LocalSource(dir);
    const file = path.join(dir, 'f.bin');
    const before = await src.stat(file);
    expect(before.size).toBe(data.length);
    await fs.appendFile(file, 'more');
    const grown = await src.stat(file);
    expect(grown.size).toBe(data.length + 4);
    expect(grown.version).toBe(before.version);
    await fs.writeFile(path.join(dir, 'g.bin'), 'other');
    await fs.rename(path.join(dir, 'g.bin'), file);
    const replaced = await src.stat(file);
    expect(replaced.version).not.toBe(before.version);
    const err = await failure(() => collect(src.read(file, 0, undefined, { version: before.version })));
    expect(err.code).toBe('CHANGED');
  });

  test('readRange: exactly the bytes, or CHANGED when the file is shorter', async () => {
    const src = new LocalSource(dir);
    const file = path.join(dir, 'f.bin');
    expect(Buffer.from(await src.readRange(file, 5, 20)).equals(data.subarray(5, 25))).toBe(true);
    const err = await failure(() => src.readRange(file, data.length - 5, 10));
    expect(err.code).toBe('CHANGED');
    expect(err.message).toBe(`${file}: the file ended before the 10 bytes at offset ${data.length - 5}`);
  });

  test('readAll, and TOO_LARGE past the limit', async () => {
    const src = new LocalSource(dir);
    await fs.writeFile(path.join(dir, 'small.txt'), 'hello');
    expect(Buffer.from(await src.readAll(path.join(dir, 'small.txt'), 5)).toString()).toBe('hello');
    expect((await failure(() => src.readAll(path.join(dir, 'small.txt'), 4))).code).toBe('TOO_LARGE');
  });

  test('a missing file: NOT_FOUND in one line', async () => {
    const src = new LocalSource(dir);
    const missing = path.join(dir, 'nope');
    for (const work of [() => src.stat(missing), () => collect(src.read(missing, 0)), () => src.readAll(missing, 9)]) {
      const err = await failure(work);
      expect(err.code).toBe('NOT_FOUND');
      expect(err.message).toBe(`${missing}: no such file (deleted or renamed since it was listed?)`);
    }
  });
});

test('paths: relative with "/", parent, join', () => {
  const src = new LocalSource('/logs/exp/');
  expect(src.root).toBe('/logs/exp');
  expect(src.relative('/logs/exp/a/b/events.out.tfevents.1')).toBe('a/b/events.out.tfevents.1');
  expect(src.relative('/logs/exp')).toBe('');
  expect(src.parent('/logs/exp/a/f')).toBe('/logs/exp/a');
  expect(src.join('/logs/exp', 'a/b', 'c')).toBe('/logs/exp/a/b/c');
  expect(src.changes).toBe('events');
  expect(src.versionKeptOnAppend).toBe(true);
});
