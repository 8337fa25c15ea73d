// The demo page: wires the panels to one blender session and one activity slot, then loads
// the default models (src/demo/default-models.ts). Every user text is rendered as text.
import { Activity } from './activity';
import { BatchPanel } from './batch-panel';
import { BlenderSession } from './blender-session';
import { CachePanel } from './cache-panel';
import { CandidatesEditor } from './candidates-editor';
import { DEFAULT_MODELS } from './default-models';
import { byId } from './dom';
import { LoadProgressView } from './load-progress';
import { ModelsPanel } from './models-panel';
import { RankPanel } from './rank-panel';
import { ResultsView } from './results-view';
import { showRuntime, showRuntimeError } from './runtime-view';

const badge = byId('backend-badge');
const reason = byId('backend-reason');
const details = byId('runtime-details');
byId('models-notice').textContent = DEFAULT_MODELS.notice;

const session = new BlenderSession();
const activity = new Activity();
const results = new ResultsView();
let loadMs: number | null = null;

const rankPanel = new RankPanel(session, activity, new CandidatesEditor(), results, () => loadMs);
new BatchPanel(session, activity);
const cachePanel = new CachePanel(session, activity);
const progress = new LoadProgressView(byId<HTMLProgressElement>('load-bar'), byId('load-status'));

const models = new ModelsPanel(session, activity, progress, {
  loaded(result) {
    loadMs = result.ms;
    showRuntime(result.info, badge, reason, details);
    rankPanel.setStatus('Ready.');
    results.showTimings({ loadMs });
    // After the activity slot is released, so the panel's buttons come back enabled.
    queueMicrotask(() => void cachePanel.refresh());
  },
  failed(message) {
    showRuntimeError(message, badge, reason);
    rankPanel.setStatus('No models loaded: see Models above.');
  },
});

void models.load();
