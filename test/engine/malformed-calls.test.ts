import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../../src/engine/engine';
import { CharTokenizer, FAKE_CONFIG, FakeModel } from './fakes';
import { expectRejection, MALFORMED_CASES } from './malformed-cases';

const engine = new RankingEngine(new FakeModel(), new CharTokenizer(), FAKE_CONFIG);

describe('malformed calls reject with a BlenderError naming the argument (engine)', () => {
  it('has at least 20 cases', () => expect(MALFORMED_CASES.length).toBeGreaterThanOrEqual(20));

  it.each(MALFORMED_CASES)('%s', (...testCase) => expectRejection(engine, testCase));
});
