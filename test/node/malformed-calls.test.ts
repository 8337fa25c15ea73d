import { afterAll, beforeAll, describe, it } from 'vitest';
import type { NodeBlender } from '../../src/node';
import { expectRejection, MALFORMED_CASES } from '../engine/malformed-cases';
import { tinyBlender } from './tiny-model';

// The same table through the public Node entry on the tiny model.
let blender: NodeBlender;
beforeAll(async () => {
  blender = await tinyBlender();
});
afterAll(() => blender.dispose());

describe('malformed calls reject with a BlenderError naming the argument (Node blender)', () => {
  it.each(MALFORMED_CASES)('%s', (...testCase) => expectRejection(blender, testCase));
});
