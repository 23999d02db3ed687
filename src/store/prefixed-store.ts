import type { DataWarning } from '../warnings';
import type { RunData } from './run-data';
import { Store, type StoreChange } from './store';

/**
 * A view of a shared Store under a name (TensorBoard's `--logdir_spec name:/path`): a loader reading one logdir names
 * its runs relative to that logdir; this stores them as `name/<run>` (TensorBoard's `os.path.join(name, run)`) in the
 * shared store, so several logdirs are served as one.
 */
export class PrefixedStore extends Store {
  constructor(
    private readonly target: Store,
    private readonly prefix: string,
  ) {
    super(target.options);
  }

  private full(name: string): string {
    return `${this.prefix}/${name}`;
  }

  override run(name: string): RunData | undefined {
    return this.target.run(this.full(name));
  }

  override ensureRun(name: string): RunData {
    return this.target.ensureRun(this.full(name));
  }

  override removeRun(name: string): void {
    this.target.removeRun(this.full(name));
  }

  override resetRun(name: string): RunData {
    return this.target.resetRun(this.full(name));
  }

  override addWarning(warning: DataWarning): void {
    this.target.addWarning(warning);
  }

  override emit(change: StoreChange): void {
    this.target.emit('run' in change ? { ...change, run: this.full(change.run) } : change);
  }
}
