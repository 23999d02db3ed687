/** featherboard's library API: read tfevents logdirs exactly as TensorBoard does. */
export * from './warnings';
export * from './tfrecord';
export * from './events';
export * from './store';
export * from './logdir';
export * from './writer';
