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
  fuser: 'models/tiny-fuser',
  label: 'small ranker trained on synthetic preference data (not PairRM); random-weight fuser',
  notice:
    "The bundled ranker is a small model of PairRM's architecture trained on generated preference data (arithmetic, relevance, completeness, format, politeness; see tools/synth): it ranks such examples sensibly, but it is not PairRM. The bundled fuser has random weights: its fused answers mean nothing. Load real model folders below (exported with the project's tooling) to use them for real.",
};
