import { parseTextFormat, type MessageSpec } from '../../../protobuf/text-format-parser';

/**
 * TensorBoard's `ProjectorConfig` (tensorboard/plugins/projector/projector_config.proto),
 * the content of `projector_config.pbtxt`, as plain objects. Proto3: empty
 * strings and empty lists mean "not set"; `sprite` has presence.
 */
export interface SpriteMetadata {
  imagePath: string;
  singleImageDim: number[];
}

export interface EmbeddingInfo {
  tensorName: string;
  metadataPath: string;
  bookmarksPath: string;
  tensorShape: number[];
  sprite?: SpriteMetadata;
  tensorPath: string;
}

export interface ProjectorConfig {
  modelCheckpointPath: string;
  embeddings: EmbeddingInfo[];
  modelCheckpointDir: string;
}

const SPRITE: MessageSpec = {
  typeName: 'tensorboard.projector.SpriteMetadata',
  fields: {
    image_path: { key: 'imagePath', type: 'string', repeated: false },
    single_image_dim: { key: 'singleImageDim', type: 'uint32', repeated: true },
  },
  create: () => ({ imagePath: '', singleImageDim: [] }) satisfies SpriteMetadata,
};

const EMBEDDING: MessageSpec = {
  typeName: 'tensorboard.projector.EmbeddingInfo',
  fields: {
    tensor_name: { key: 'tensorName', type: 'string', repeated: false },
    metadata_path: { key: 'metadataPath', type: 'string', repeated: false },
    bookmarks_path: { key: 'bookmarksPath', type: 'string', repeated: false },
    tensor_shape: { key: 'tensorShape', type: 'uint32', repeated: true },
    sprite: { key: 'sprite', type: 'message', repeated: false, message: SPRITE },
    tensor_path: { key: 'tensorPath', type: 'string', repeated: false },
  },
  create: () =>
    ({ tensorName: '', metadataPath: '', bookmarksPath: '', tensorShape: [], tensorPath: '' }) satisfies EmbeddingInfo,
};

export const PROJECTOR_CONFIG: MessageSpec = {
  typeName: 'tensorboard.projector.ProjectorConfig',
  fields: {
    model_checkpoint_path: { key: 'modelCheckpointPath', type: 'string', repeated: false },
    embeddings: { key: 'embeddings', type: 'message', repeated: true, message: EMBEDDING },
    model_checkpoint_dir: { key: 'modelCheckpointDir', type: 'string', repeated: false },
  },
  create: () => ({ modelCheckpointPath: '', embeddings: [], modelCheckpointDir: '' }) satisfies ProjectorConfig,
};

/** `projector_config.pbtxt` text → ProjectorConfig, or a TextProtoError naming the line. */
export function parseProjectorConfig(text: string): ProjectorConfig {
  return parseTextFormat(text, PROJECTOR_CONFIG) as unknown as ProjectorConfig;
}

/**
 * The JSON protobuf's `MessageToJson` writes (what TensorBoard's `/info`
 * sends): camelCase names in field-number order, unset fields left out,
 * Python's `json.dumps(indent=2)` layout with non-ASCII escaped.
 */
export function configToProtoJson(config: ProjectorConfig): string {
  const out: Record<string, unknown> = {};
  if (config.modelCheckpointPath !== '') out.modelCheckpointPath = config.modelCheckpointPath;
  if (config.embeddings.length > 0) out.embeddings = config.embeddings.map(embeddingJson);
  if (config.modelCheckpointDir !== '') out.modelCheckpointDir = config.modelCheckpointDir;
  return pythonIndentedJson(out, '');
}

function embeddingJson(e: EmbeddingInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (e.tensorName !== '') out.tensorName = e.tensorName;
  if (e.metadataPath !== '') out.metadataPath = e.metadataPath;
  if (e.bookmarksPath !== '') out.bookmarksPath = e.bookmarksPath;
  if (e.tensorShape.length > 0) out.tensorShape = e.tensorShape;
  if (e.sprite !== undefined) {
    const s: Record<string, unknown> = {};
    if (e.sprite.imagePath !== '') s.imagePath = e.sprite.imagePath;
    if (e.sprite.singleImageDim.length > 0) s.singleImageDim = e.sprite.singleImageDim;
    out.sprite = s;
  }
  if (e.tensorPath !== '') out.tensorPath = e.tensorPath;
  return out;
}

/** A JSON string as Python's json.dumps(ensure_ascii=True) writes it. */
function pythonJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Only strings, integers, lists and objects occur in a config. */
function pythonIndentedJson(v: unknown, indent: string): string {
  if (typeof v === 'string') return pythonJsonString(v);
  if (typeof v === 'number') return String(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + pythonIndentedJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const members = entries.map(([k, x]) => `${inner}${pythonJsonString(k)}: ${pythonIndentedJson(x, inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}
