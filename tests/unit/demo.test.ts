// The local demo can run every demo programme to its end: enough demo experts for every scoring
// stage (so the first administrator card is not 专家不足), and a reviewer for every review stage.
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/playground/demo.js';
import { shipped } from '../helpers/campaigns.js';

const experts = DEMO_USERS.filter((u) => u.openId.startsWith('ou_demo_expert'));
const scoring = shipped.campaigns.flatMap((c) =>
  c.pipeline.filter((s) => s.kind === 'scoring' && s.scoring).map((s) => [`${c.id}/${s.id}`, s.scoring!.experts] as const),
);

describe('the demo world', () => {
  it('has shipped programmes with scoring stages to check', () => {
    expect(scoring.length).toBeGreaterThan(3);
  });

  it.each(scoring)('%s needs %i experts; the demo has enough', (_stage, needed) => {
    expect(experts.length).toBeGreaterThanOrEqual(needed);
  });
});
