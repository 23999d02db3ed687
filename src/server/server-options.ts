/** How the server presents a logdir; every field is optional except where it was read from. */
export interface ServerOptions {
  /** The logdir as given on the command line (TensorBoard's `data_location`). */
  logdir: string;
  /** `--window_title` (default empty, as TensorBoard). */
  windowTitle?: string;
  /** `--samples_per_plugin`: most points served per series, by plugin. Absent = every point. */
  samplesPerPlugin?: Readonly<Record<string, number>>;
  /** `--path_prefix`, e.g. `/tensorboard` (no trailing slash). */
  pathPrefix?: string;
  /** The built viewer bundle (default: viewer/dist of the package). */
  viewerDir?: string;
  /** Flags to echo in `/data/environment` `debug.flags` (cosmetic). */
  flags?: Readonly<Record<string, unknown>>;
  /** Where bugs (500s) are logged; default console.error. */
  logError?: (message: string) => void;
}

/** The TensorBoard version whose HTTP API this server speaks. */
export const TENSORBOARD_API_VERSION = '2.21.0';
