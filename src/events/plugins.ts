import { ENUM, FIELD } from '../protobuf/generated/field-numbers';
import { encodeVarintFields } from '../protobuf/wire-writer';
import { DATA_CLASS, type TagMetadata } from './types';

/** Plugin names as they appear in SummaryMetadata.plugin_data.plugin_name. */
export const PLUGIN = {
  SCALARS: 'scalars',
  HISTOGRAMS: 'histograms',
  IMAGES: 'images',
  AUDIO: 'audio',
  TEXT: 'text',
  PR_CURVES: 'pr_curves',
  HPARAMS: 'hparams',
  MESH: 'mesh',
  CUSTOM_SCALARS: 'custom_scalars',
  GRAPHS: 'graphs',
  GRAPH_RUN_METADATA: 'graph_run_metadata',
  GRAPH_RUN_METADATA_WITH_GRAPH: 'graph_run_metadata_graph',
  GRAPH_KERAS_MODEL: 'graph_keras_model',
  GRAPH_TAGGED_RUN_METADATA: 'graph_tagged_run_metadata',
} as const;

/** The tag TensorBoard gives a run's `graph_def` event. */
export const RUN_GRAPH_TAG = '__run_graph__';

/**
 * The data class TensorBoard assigns to a legacy series of each plugin
 * (written before data_class existed). Plugins not listed stay UNKNOWN.
 */
export const LEGACY_DATA_CLASS: Readonly<Record<string, number>> = {
  [PLUGIN.SCALARS]: DATA_CLASS.SCALAR,
  [PLUGIN.HISTOGRAMS]: DATA_CLASS.TENSOR,
  [PLUGIN.IMAGES]: DATA_CLASS.BLOB_SEQUENCE,
  [PLUGIN.AUDIO]: DATA_CLASS.BLOB_SEQUENCE,
  [PLUGIN.TEXT]: DATA_CLASS.TENSOR,
  [PLUGIN.HPARAMS]: DATA_CLASS.TENSOR,
  [PLUGIN.PR_CURVES]: DATA_CLASS.TENSOR,
  [PLUGIN.MESH]: DATA_CLASS.TENSOR,
  [PLUGIN.CUSTOM_SCALARS]: DATA_CLASS.TENSOR,
  [PLUGIN.GRAPH_RUN_METADATA]: DATA_CLASS.BLOB_SEQUENCE,
  [PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH]: DATA_CLASS.BLOB_SEQUENCE,
  [PLUGIN.GRAPH_KERAS_MODEL]: DATA_CLASS.BLOB_SEQUENCE,
};

/**
 * The data class TensorBoard migrates a value to, given its tag's first
 * metadata in the file: a legacy plugin's class when that metadata has none,
 * else undefined (the value keeps what it has).
 */
export function migratedDataClass(initial: TagMetadata): number | undefined {
  return initial.dataClass === DATA_CLASS.UNKNOWN ? LEGACY_DATA_CLASS[initial.pluginName] : undefined;
}

// Serialized plugin_data contents TensorBoard writes when it migrates legacy
// values: version 0 (empty), `converted_to_tensor: true`, and for audio
// `encoding: WAV`.
const EMPTY = new Uint8Array(0);
const IMAGE_CONVERTED = encodeVarintFields([[FIELD.ImagePluginData.converted_to_tensor, 1]]);
const AUDIO_WAV_CONVERTED = encodeVarintFields([
  [FIELD.AudioPluginData.encoding, ENUM.AudioPluginData_Encoding.WAV],
  [FIELD.AudioPluginData.converted_to_tensor, 1],
]);

const LEGACY_CONTENT: Record<string, Uint8Array> = {
  [PLUGIN.SCALARS]: EMPTY,
  [PLUGIN.HISTOGRAMS]: EMPTY,
  [PLUGIN.IMAGES]: IMAGE_CONVERTED,
  [PLUGIN.AUDIO]: AUDIO_WAV_CONVERTED,
};

/** Metadata for a legacy simple_value/histo/image/audio value migrated to a tensor. */
export function legacyMetadata(
  pluginName: 'scalars' | 'histograms' | 'images' | 'audio',
  tag: string,
  original: { displayName: string; description: string } | undefined,
): TagMetadata {
  return {
    pluginName,
    pluginContent: LEGACY_CONTENT[pluginName] ?? EMPTY,
    displayName: original?.displayName || tag,
    description: original?.description ?? '',
    dataClass: DATA_CLASS.UNKNOWN,
  };
}
