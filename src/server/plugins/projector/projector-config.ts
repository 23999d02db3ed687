/**
 * Where text-proto.ts (moving to src/protobuf/ in another change) finds the projector config's
 * schema until it moves; the config itself lives with the projector routes.
 */
export * from '../../routes/projector/projector-config';
