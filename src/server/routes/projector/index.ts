export { ProjectorRuns } from './projector-runs';
export { projectorRoutes } from './tensorboard';
