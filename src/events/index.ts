export { EventFileDecoder } from './decode-event';
export { decodeTensor } from './tensor';
export { PLUGIN, RUN_GRAPH_TAG, LEGACY_DATA_CLASS } from './plugins';
export { protoType, protoRoot, toSafeNumber } from '../protobuf/schema';
export * from './types';
