import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Who may import whom. `src/` (the library, server and CLI) imports nothing
 * from `viewer/`: what both sides need lives in `src/common/`, which imports
 * only itself (no Node modules, no packages), so the browser bundle and the
 * server read the same code. Its tsconfig (src/common/tsconfig.json, run by
 * `npm run typecheck`) proves it uses neither Node's nor the DOM's types.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const COMMON = path.join(SRC, 'common');
const VIEWER = path.join(ROOT, 'viewer');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier of a file: static imports and exports, `import()` and `require()`. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const re of [/\bfrom\s+'([^']+)'/g, /\bimport\s+'([^']+)'/g, /\b(?:import|require)\(\s*'([^']+)'\s*\)/g])
    for (const m of text.matchAll(re)) out.push(m[1] as string);
  return out;
}

const inside = (file: string, dir: string): boolean => file === dir || file.startsWith(dir + path.sep);

it('finds the imports it checks', () => {
  expect(specifiers(path.join(SRC, 'server', 'create-app.ts'))).toContain('./routes/viewer-api');
  expect(specifiers(path.join(VIEWER, 'src', 'api.ts'))).toContain('../../src/common/format-number');
  expect(specifiers(path.join(SRC, 'cli', 'serve-command.ts'))).toContain('../server/create-app');
});

it('src/ imports nothing from viewer/', () => {
  const offending: string[] = [];
  for (const file of tsFiles(SRC))
    for (const spec of specifiers(file))
      if (spec.startsWith('.') && inside(path.resolve(path.dirname(file), spec), VIEWER))
        offending.push(`${path.relative(ROOT, file)} -> ${spec}`);
  expect(offending).toEqual([]);
});

it('src/common/ imports only src/common/', () => {
  const files = tsFiles(COMMON);
  expect(files.length).toBeGreaterThan(5);
  const offending: string[] = [];
  for (const file of files)
    for (const spec of specifiers(file))
      if (!spec.startsWith('.') || !inside(path.resolve(path.dirname(file), spec), COMMON))
        offending.push(`${path.relative(ROOT, file)} -> ${spec}`);
  expect(offending).toEqual([]);
});

it('type-checks src/common without Node or DOM types', () => {
  const config = JSON.parse(fs.readFileSync(path.join(COMMON, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { lib: string[]; types: string[] };
    include: string[];
  };
  expect(config.compilerOptions).toMatchObject({ lib: ['ES2022'], types: [] });
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { typecheck: string } }
  ).scripts;
  expect(scripts.typecheck).toContain('tsc -p src/common/tsconfig.json');
});
