import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Store } from '../../../store/store';
import { compareCodePoints } from '../../../store/store';
import { badRequest } from '../../http/http-error';
import { readAssetFile, resolveAssetPath, type AssetFile } from './asset-path';
import { parseProjectorConfig, type EmbeddingInfo, type ProjectorConfig } from './projector-config';
import { parseTensorFile, type Tensor2d } from './tensor-file';
import { TextProtoError } from '../../../protobuf/text-format-parser';

export const CONFIG_FILE_NAME = 'projector_config.pbtxt';
/** TensorBoard also reads a config from the run's projector plugin-assets folder. */
const ASSETS_DIR = path.join('plugins', 'org_tensorflow_tensorboard_projector');

/** Most bytes read from each kind of file a config names. */
export const MAX_BYTES = {
  config: 1 << 20,
  tensor: 256 << 20,
  metadata: 64 << 20,
  sprite: 64 << 20,
  bookmarks: 16 << 20,
} as const;
/** Tensor shapes remembered for `/info` (a few numbers each). */
const MAX_SHAPES = 10000;

/** A run's projector config, normalized as TensorBoard does. */
export interface RunConfig {
  run: string;
  config: ProjectorConfig;
  /** Directory of the config file: every path in it is relative to this. */
  configDir: string;
  /** The config file, relative to the logdir (for messages). */
  configName: string;
}

type ConfigRead = { ok: true; value: RunConfig } | { ok: false; error: string };

/**
 * The runs with embeddings: for every run of the store (in `/data/runs`
 * order) and the logdir itself, `projector_config.pbtxt` in the run directory
 * or its plugin-assets folder (the latter wins), kept when at least one
 * embedding names a tensor file. Configs are read at each request (they are
 * small); tensors are parsed once per file version.
 */
export class ProjectorRuns {
  private activeUntil = 0;
  private active = false;
  private readonly shapes = new Map<string, [number, number]>();
  private lastTensor: { key: string; tensor: Tensor2d } | undefined;

  constructor(
    private readonly store: Store,
    private readonly logdir: string,
  ) {}

  /** Run name → its config (or why it could not be read), in TensorBoard's order. */
  async readAll(): Promise<Map<string, ConfigRead>> {
    const out = new Map<string, ConfigRead>();
    if (!(await this.logdirUsable())) return out;
    const runs = [...this.store.runs.values()].map((r) => ({ name: r.name, start: r.firstEventTime ?? Infinity }));
    runs.sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : compareCodePoints(a.name, b.name)));
    const names = runs.map((r) => r.name);
    if (!names.includes('.')) names.push('.');
    const reads = await Promise.all(names.map((n) => this.readRun(n)));
    names.forEach((n, i) => {
      const r = reads[i];
      if (r !== undefined) out.set(n, r);
    });
    return out;
  }

  /** The listed runs' names. */
  async runNames(): Promise<string[]> {
    return [...(await this.readAll()).entries()].filter(([, r]) => r.ok).map(([n]) => n);
  }

  /** A run's config, or a 400 as TensorBoard answers for an unknown run. */
  async runConfig(run: string): Promise<RunConfig> {
    const r = this.store.runs.has(run) || run === '.' ? await this.readRun(run) : undefined;
    if (r === undefined) throw badRequest(`Unknown run: "${run}"`);
    if (!r.ok) throw badRequest(r.error);
    return r.value;
  }

  /** Does any run have embeddings? Once yes, always yes (as TensorBoard); a no is re-checked after 2 s. */
  async isActive(): Promise<boolean> {
    if (this.active || Date.now() < this.activeUntil) return this.active;
    this.active = (await this.runNames()).length > 0;
    this.activeUntil = Date.now() + 2000;
    return this.active;
  }

  /** `/info`: the config with the row and column counts of its tensor files filled in. */
  async withShapes(rc: RunConfig): Promise<ProjectorConfig> {
    const embeddings = await Promise.all(
      rc.config.embeddings.map(async (e) => {
        if (e.tensorPath === '' || e.tensorShape.length > 0) return e;
        // TensorBoard leaves the shape out when it cannot read the file
        const shape = await this.shape(rc, e).catch(() => undefined);
        return shape === undefined ? e : { ...e, tensorShape: shape };
      }),
    );
    return { ...rc.config, embeddings };
  }

  private async shape(rc: RunConfig, e: EmbeddingInfo): Promise<[number, number]> {
    const { key } = await this.tensorFile(rc, e);
    const known = this.shapes.get(key);
    if (known !== undefined) return known;
    const t = await this.tensor(rc, e);
    return [t.rows, t.cols];
  }

  /** An embedding's tensor file, parsed (the last one is kept, as TensorBoard's one-entry cache). */
  async tensor(rc: RunConfig, e: EmbeddingInfo): Promise<Tensor2d> {
    const { file, key } = await this.tensorFile(rc, e);
    if (this.lastTensor?.key === key) return this.lastTensor.tensor;
    const bytes = await readAssetFile(file, MAX_BYTES.tensor);
    const tensor = parseTensorFile(bytes, e.tensorShape, `tensor file "${e.tensorPath}"`);
    this.lastTensor = { key, tensor };
    if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
    this.shapes.set(key, [tensor.rows, tensor.cols]);
    return tensor;
  }

  /** The tensor file and a key naming its current version. */
  private async tensorFile(rc: RunConfig, e: EmbeddingInfo): Promise<{ file: AssetFile; key: string }> {
    const file = await this.asset(rc, e.tensorPath);
    const stat = await fs.stat(file.resolved).catch(() => undefined);
    if (stat === undefined) throw badRequest(`Tensor file "${e.tensorPath}" does not exist`);
    return { file, key: `${file.resolved}\0${stat.size}\0${stat.mtimeMs}\0${e.tensorShape.join(',')}` };
  }

  /** A path of the config, resolved inside the config's directory (else a 400). */
  async asset(rc: RunConfig, configured: string): Promise<AssetFile> {
    return { configured, resolved: await resolveAssetPath(configured, rc.configDir) };
  }

  private async logdirUsable(): Promise<boolean> {
    // TensorBoard's projector needs a local logdir (it is off for --logdir_spec).
    if (!path.isAbsolute(this.logdir)) return false;
    const stat = await fs.stat(this.logdir).catch(() => undefined);
    return stat?.isDirectory() === true;
  }

  private async readRun(run: string): Promise<ConfigRead | undefined> {
    if (!(await this.logdirUsable())) return undefined;
    const runDir = run === '.' ? this.logdir : path.join(this.logdir, ...run.split('/'));
    let found: ConfigRead | undefined;
    for (const dir of [runDir, path.join(runDir, ASSETS_DIR)]) {
      const r = await this.readConfig(run, dir);
      if (r !== undefined) found = r;
    }
    return found;
  }

  private async readConfig(run: string, configDir: string): Promise<ConfigRead | undefined> {
    const file = path.join(configDir, CONFIG_FILE_NAME);
    const configName = path.relative(this.logdir, file).split(path.sep).join('/');
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat === undefined || !stat.isFile()) return undefined;
    if (stat.size > MAX_BYTES.config)
      return { ok: false, error: `${configName} is larger than ${MAX_BYTES.config} bytes` };
    const bytes = await fs.readFile(file).catch(() => undefined);
    if (bytes === undefined) return undefined;
    let config: ProjectorConfig;
    try {
      config = parseProjectorConfig(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (err) {
      const why = err instanceof TextProtoError ? err.message : 'not UTF-8 text';
      return { ok: false, error: `cannot parse ${configName}: ${why}` };
    }
    normalize(config);
    // Without a tensor file TensorBoard needs a checkpoint, which featherboard does not read.
    if (!config.embeddings.some((e) => e.tensorPath !== '')) return undefined;
    return { ok: true, value: { run, config, configDir, configName } };
  }
}

/**
 * TensorBoard's normalization: the first embedding with a tensor file is named
 * after the file when it has no name; a `:0` suffix is dropped from names.
 */
function normalize(config: ProjectorConfig): void {
  const first = config.embeddings.find((e) => e.tensorPath !== '');
  if (first !== undefined && first.tensorName === '')
    first.tensorName = first.tensorPath.slice(first.tensorPath.lastIndexOf('/') + 1);
  for (const e of config.embeddings) if (e.tensorName.endsWith(':0')) e.tensorName = e.tensorName.slice(0, -2);
}

/** TensorBoard's name match: a name without `:` means output 0 (`name:0`). */
export function findEmbedding(config: ProjectorConfig, name: string): EmbeddingInfo | undefined {
  const canonical = (n: string): string => (n.includes(':') ? n : `${n}:0`);
  const want = canonical(name);
  return config.embeddings.find((e) => canonical(e.tensorName) === want);
}
