// Example inputs: the README's (the reference's own examples), one with an instruction, and
// two of the kinds the bundled fuser was trained on (candidates that each hold part of the
// answer, and a product with near misses), so Rank & Fuse shows what it can do. Those two are also
// cases of test/golden/synth-fuser.json (tools/synth/export_fuser.py), which pins the fuser's answers.

export interface Preset {
  name: string;
  instruction: string;
  input: string;
  candidates: string[];
}

export const PRESETS: readonly Preset[] = [
  { name: 'Greeting (README)', instruction: '', input: 'hello, how are you!', candidates: ['get out!', 'hi! I am fine, thanks!', 'bye!'] },
  { name: 'Love (README)', instruction: '', input: 'I love you!', candidates: ['I love you too!', 'I hate you!', "Thanks! You're a good guy!"] },
  { name: 'Compare (README)', instruction: '', input: 'hello!', candidates: ['hi!', 'f**k off!'] },
  {
    name: 'With an instruction',
    instruction: 'Answer in one short sentence.',
    input: 'Why is the sky blue?',
    candidates: [
      'Because air scatters blue sunlight more than red (Rayleigh scattering).',
      'The sky is blue because it reflects the ocean.',
      'Blue light has a shorter wavelength, so the atmosphere scatters it most, and we see it from every direction.',
      'idk',
    ],
  },
  {
    name: 'Merge partial answers (fuser)',
    instruction: '',
    input: 'What are the capital, the language and the continent of Spain?',
    candidates: ['The capital of Spain is Madrid.', 'People in Spain speak Spanish. Hope that helps.', 'Spain lies in Europe.'],
  },
  {
    name: 'Pick the right product (fuser)',
    instruction: '',
    input: 'What is 7 * 8?',
    candidates: ['The answer is 54.', 'Let me think. The answer is 56.', 'The answer is 63.'],
  },
];

/** Candidates pasted in one block: separated by blank lines, trimmed, empty ones dropped. */
export function splitPasted(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
