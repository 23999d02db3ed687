import { Router } from 'express'; import type { Store } from '../../store/store'; export function graphsRoutes(_store: Store): Router { return Router(); }
