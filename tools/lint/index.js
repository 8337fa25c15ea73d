// typescript-eslint, loaded against the classic TypeScript API (see classic-typescript.cjs).
import './classic-typescript.cjs';

const { default: tseslint } = await import('typescript-eslint');

export default tseslint;
