/** Every workflow type the workers register. Bundled into Temporal's deterministic sandbox. */
export { pingWorkflow } from './ping';
export { experimentWorkflow } from './experiment';
