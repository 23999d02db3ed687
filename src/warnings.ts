/**
 * Data warnings: every problem found in a logdir is reported with a stable
 * code, the file it was found in, and the byte offset where it starts.
 * Readers keep going after a warning; strict mode (export's `strict` option,
 * `featherboard export --strict`) stops at the first one instead.
 */

/** Every warning code featherboard emits. The README documents each one. */
export const WARNING_CODES = [
  'DATA_CRC_MISMATCH',
  'LENGTH_CRC_MISMATCH',
  'RECORD_TOO_LARGE',
  'TRUNCATED_TAIL',
  'BAD_EVENT_PROTO',
  'BAD_TENSOR',
  'STEP_PRECISION_LOSS',
  'UNREADABLE_PATH',
  'FILE_SHRANK',
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];

export interface DataWarning {
  code: WarningCode;
  message: string;
  /** Path of the file, relative to the logdir when there is one. */
  file?: string;
  /** Byte offset in `file` where the problem starts. */
  offset?: number;
}

export type WarningSink = (warning: DataWarning) => void;

/** One human line: `CODE file@offset: message`. */
export function formatWarning(w: DataWarning): string {
  const where = w.file === undefined ? '' : ` ${w.file}${w.offset === undefined ? '' : `@${w.offset}`}`;
  return `${w.code}${where}: ${w.message}`;
}

/** Thrown in strict mode, as node-tar does: the first warning, as an error with its code, file and offset. */
export class StrictModeError extends Error {
  override name = 'StrictModeError';
  readonly code: WarningCode;
  readonly file: string | undefined;
  readonly offset: number | undefined;

  constructor(readonly warning: DataWarning) {
    super(formatWarning(warning));
    this.code = warning.code;
    this.file = warning.file;
    this.offset = warning.offset;
  }
}

/** Where a reader's warnings go: to `onWarning` (by default nowhere), or with `strict` thrown as a StrictModeError. */
export function warningSink(options: { strict?: boolean; onWarning?: WarningSink }): WarningSink {
  if (options.strict === true)
    return (warning) => {
      throw new StrictModeError(warning);
    };
  return options.onWarning ?? (() => {});
}
