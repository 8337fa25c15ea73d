// The models the demo opens with, and how the page labels them. This is the one file to edit
// to ship other default models (e.g. small learned ones): every default URL and label is here.

export interface DefaultModels {
  /** Ranker model folder, relative to the page (or absolute, same origin). */
  ranker: string;
  /** Fuser model folder. */
  fuser: string;
  /** Short plain label shown next to the models' names. */
  label: string;
  /** One sentence saying what the models are good for (shown under the title). */
  notice: string;
}

export const DEFAULT_MODELS: DefaultModels = {
  ranker: 'models/synth-pairrm',
  fuser: 'models/synth-fuser',
  label: 'small ranker and tiny fuser trained on generated tasks (not PairRM, not GenFuser)',
  notice:
    "The bundled models are small ones trained on generated tasks (see tools/synth), not LLM-Blender's. The ranker has PairRM's architecture and ranks arithmetic, relevance, completeness, format and politeness examples sensibly. The fuser is a tiny Flan-T5 (0.57 M parameters, not GenFuser-3B) that picks the right candidate and merges lists or facts split across candidates, on those same kinds of questions; on anything else its answers mean little. Load real model folders below (exported with the project's tooling) to use them for real.",
};
