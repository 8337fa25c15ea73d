// Example inputs: the README's (the reference's own examples), one with an instruction.

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
];

/** Candidates pasted in one block: separated by blank lines, trimmed, empty ones dropped. */
export function splitPasted(text: string): string[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
