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
  ranker: 'models/tiny-pairrm',
  fuser: 'models/tiny-fuser',
  label: 'tiny random-weight test models — rankings mean nothing',
  notice:
    "The bundled models are tiny random-weight test models of PairRM's and GenFuser's architectures: their rankings and fused answers mean nothing. Load a real model folder below (exported with the project's tooling) to use them for real.",
};
