/**
 * Data warnings: every problem found in a logdir is reported with a stable
 * code, the file it was found in, and the byte offset where it starts.
 * Readers keep going after a warning; `--strict` turns them into failures.
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

/** Thrown in strict mode, carrying the warning that stopped the read. */
export class StrictModeError extends Error {
  constructor(readonly warning: DataWarning) {
    super(formatWarning(warning));
    this.name = 'StrictModeError';
  }
}
