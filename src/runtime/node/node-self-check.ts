/**
 * The self-check of a model loaded in Node (src/runtime/common/probe.ts): the probe from the
 * folder's manifest.json, run on the loaded session right after loading. Node runs one backend
 * (onnxruntime-node's CPU) with the dtype asked for ('auto' is fp32 already): there is no
 * safer choice to fall back to, so a failed check refuses the model.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BlenderError } from '../../engine/errors';
import type { Dtype } from '../common/dtypes';
import type { ModelRole } from '../common/model-info';
import {
  checkProbe,
  notSelfChecked,
  numericsMismatch,
  probeCovers,
  readProbe,
  selfCheckPassed,
  type ModelProbe,
  type ProbeRun,
  type SelfCheckInfo,
} from '../common/probe';

/** The probe in `folder`/manifest.json; null when the folder has no manifest or it has no probe. */
export async function readFolderProbe(folder: string, role: ModelRole): Promise<ModelProbe | null> {
  let text: string;
  try {
    text = await readFile(resolve(folder, 'manifest.json'), 'utf8');
  } catch {
    return null; // a folder without a manifest loads unchecked, as before
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new BlenderError('MODEL_INVALID', `${resolve(folder, 'manifest.json')} is not valid JSON: ${String(error)}`, `options.${role}`, { cause: error });
  }
  return readProbe(manifest, role, resolve(folder));
}

/** Runs the probe; resolves with what info() reports, rejects with NUMERICS_MISMATCH. */
export async function selfCheckInNode(
  role: ModelRole,
  source: string,
  probe: ModelProbe | null,
  dtype: Dtype,
  run: (probe: ModelProbe) => Promise<ProbeRun>,
): Promise<SelfCheckInfo> {
  if (!probe || !probeCovers(probe, dtype)) return notSelfChecked(probe, dtype);
  const started = performance.now();
  const outcome = checkProbe(probe, dtype, 'cpu', await run(probe));
  if (!outcome.passed) {
    throw numericsMismatch(
      role,
      source,
      outcome,
      "Node runs onnxruntime-node's CPU provider with the dtype asked for: there is nothing safer to fall back to.",
    );
  }
  return selfCheckPassed(outcome, performance.now() - started);
}
