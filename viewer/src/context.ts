import type { RunJson } from '../../src/common/responses/viewer-api';
import type { Visibility } from './dom';
import type { ViewState } from './state';

/** What changed in the settings, so a view redoes only what it must. */
export type Change = 'runs' | 'tags' | 'smoothing' | 'axis' | 'mode' | 'theme';

/** What every view gets from the app shell. */
export interface AppContext {
  readonly state: ViewState;
  readonly runs: RunJson[];
  /** Runs shown for a plugin: having its data, ticked, and matching the run filter. */
  shownRuns(plugin: string): string[];
  /** Runs that have data of a plugin and match the run filter (ticked or not). */
  listedRuns(plugin: string): string[];
  /** Tags of a plugin over the given runs, filtered by the tag filter, in first-seen order. */
  tags(plugin: string, runs: string[]): string[];
  readonly visibility: Visibility;
  /** Reports a failed request once, without breaking the page. */
  reportError(where: string, err: unknown): void;
}

export interface View {
  readonly root: HTMLElement;
  /** Settings changed. */
  update(change: Change): void;
  /** The live stream says these tags of this run got points. */
  onData(run: string, tags: string[]): void;
  dispose(): void;
}
