export { ProjectorRuns } from './projector-runs';
export { projectorRoutes } from './routes';
