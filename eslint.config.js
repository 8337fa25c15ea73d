// ESLint (flat config): `npm run lint` checks, `npm run format` fixes. Formatting is prettier's
// (.prettierrc.json); eslint-config-prettier, last, turns off the rules that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
// typescript-eslint, loaded against the classic TypeScript API it needs (see tools/lint/README.md).
import tseslint from './tools/lint/index.js';

// `_`-prefixed names are deliberately unused; `const { dropped, ...rest } = x` omits a property.
const unusedVars = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true };

export default defineConfig([
  {
    // node_modules/ is ignored by default. Build outputs, served assets, test reports and caches:
    ignores: ['dist/', 'public/', 'test-results/', 'playwright-report/', '.cache/', 'e2e/consumer-*/dist/'],
  },
  {
    // Everything in tsconfig.json's program: the type-checked rules.
    files: ['src/**/*.ts', 'workers/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'bench/**/*.mts', 'vite.config.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // `async` without `await` is deliberate here: fakes and stores implementing Promise-returning
      // interfaces, where `async` turns a throw into a rejection. Dropping it would change that.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
    },
  },
  {
    // Playwright reads fixtures from the first parameter's object pattern: `({}, testInfo)` asks for none.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    // Plain JavaScript (bench and tooling scripts, the e2e consumer app, this config): outside
    // tsconfig.json's program, so the untyped recommended rules only.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', unusedVars] },
  },
  {
    // Node scripts that drive Chromium: their page.evaluate callbacks run in the page.
    files: ['bench/chromium-runner.mjs', 'bench/experiments.mjs'],
    languageOptions: { globals: { ...globals.node, window: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['e2e/consumer-app/main.js', 'e2e/consumer-static/main.js', 'e2e/consumer-*/src/*.js'],
    languageOptions: { globals: globals.browser },
  },
  prettier,
]);
