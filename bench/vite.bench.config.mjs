// The bench page's dev server: the app's config (cross-origin isolation, ORT kept out of
// dependency pre-bundling) without HMR or its WebSocket, so an edit anywhere in the tree
// during a 45-minute run can never reload the page under a measurement.
import { mergeConfig } from 'vite';
import app from '../vite.config.ts';

export default (env) => mergeConfig(app(env), { server: { hmr: false, ws: false }, clearScreen: false });
