import { PLUGIN } from '../../../events/plugins';

/** How TensorBoard 2.21's frontend loads each dashboard (from its plugins' frontend_metadata). */
interface DashboardEntry {
  name: string;
  tabName: string;
  /** Plugin names whose data enables the dashboard (empty: never enabled by data). */
  dataPlugins: string[];
  loading:
    | { type: 'CUSTOM_ELEMENT'; element_name: string }
    | { type: 'NG_COMPONENT' }
    | { type: 'IFRAME'; module_path: string };
  disableReload?: boolean;
}

/** TensorBoard's default plugins, in its order. */
const DASHBOARDS: DashboardEntry[] = [
  {
    name: 'timeseries',
    tabName: 'Time Series',
    dataPlugins: [PLUGIN.SCALARS, PLUGIN.HISTOGRAMS, PLUGIN.IMAGES],
    loading: { type: 'NG_COMPONENT' },
  },
  {
    name: 'scalars',
    tabName: 'scalars',
    dataPlugins: [PLUGIN.SCALARS],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-scalar-dashboard' },
  },
  {
    name: 'custom_scalars',
    tabName: 'Custom Scalars',
    dataPlugins: [PLUGIN.CUSTOM_SCALARS],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-custom-scalar-dashboard' },
  },
  {
    name: 'images',
    tabName: 'images',
    dataPlugins: [PLUGIN.IMAGES],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-image-dashboard' },
  },
  {
    name: 'audio',
    tabName: 'audio',
    dataPlugins: [PLUGIN.AUDIO],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-audio-dashboard' },
  },
  { name: 'debugger-v2', tabName: 'Debugger V2', dataPlugins: [], loading: { type: 'NG_COMPONENT' } },
  {
    name: 'graphs',
    tabName: 'graphs',
    dataPlugins: [
      PLUGIN.GRAPHS,
      PLUGIN.GRAPH_RUN_METADATA,
      PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH,
      PLUGIN.GRAPH_KERAS_MODEL,
      PLUGIN.GRAPH_TAGGED_RUN_METADATA,
    ],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-graph-dashboard' },
    disableReload: true,
  },
  {
    name: 'distributions',
    tabName: 'distributions',
    dataPlugins: [PLUGIN.HISTOGRAMS],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-distribution-dashboard' },
  },
  {
    name: 'histograms',
    tabName: 'histograms',
    dataPlugins: [PLUGIN.HISTOGRAMS],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-histogram-dashboard' },
  },
  {
    name: 'text',
    tabName: 'text',
    dataPlugins: [PLUGIN.TEXT],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-text-dashboard' },
  },
  {
    name: 'pr_curves',
    tabName: 'PR Curves',
    dataPlugins: [PLUGIN.PR_CURVES],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-pr-curve-dashboard' },
  },
  {
    name: 'profile_redirect',
    tabName: 'Profile',
    dataPlugins: [],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-profile-redirect-dashboard' },
  },
  {
    name: 'hparams',
    tabName: 'hparams',
    dataPlugins: [PLUGIN.HPARAMS],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-hparams-dashboard' },
  },
  {
    name: 'mesh',
    tabName: 'mesh',
    dataPlugins: [PLUGIN.MESH],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'mesh-dashboard' },
  },
  {
    name: 'wit_redirect',
    tabName: 'What-If Tool',
    dataPlugins: [],
    loading: { type: 'CUSTOM_ELEMENT', element_name: 'tf-wit-redirect-dashboard' },
  },
  // Active when a run directory holds a projector_config.pbtxt (see routes/projector).
  {
    name: 'projector',
    tabName: 'projector',
    dataPlugins: ['projector'],
    loading: { type: 'IFRAME', module_path: '/data/plugin/projector/index.js' },
    disableReload: true,
  },
];

/** `/data/plugins_listing`: each dashboard, enabled when a run holds data of one of its plugins. */
export function pluginsListing(withData: ReadonlySet<string>, scriptRoot: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of DASHBOARDS) {
    const loading =
      d.loading.type === 'IFRAME' ? { type: 'IFRAME', module_path: scriptRoot + d.loading.module_path } : d.loading;
    out[d.name] = {
      disable_reload: d.disableReload ?? false,
      enabled: d.dataPlugins.some((p) => withData.has(p)),
      remove_dom: false,
      tab_name: d.tabName,
      loading_mechanism: loading,
    };
  }
  return out;
}
