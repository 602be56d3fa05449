// The words of a programme: an evaluation's contact submits a 自评 and learns 等次 and 结果运用; an
// application keeps 申报, 入选 and its cards exactly as before.
import { describe, expect, it } from 'vitest';
import { statusCard, submittedCard } from '../../cards/journey/index.js';
import { evaluationProgressCard, returnedCard, reviewTaskCard } from '../../cards/review.js';
import { gradeRulesText, gradeUseLines, submissionsNoun, termsOf } from '../../src/campaigns/terms.js';
import { type CardJson, textOf } from '../helpers/applicant.js';
import { shippedCampaign } from '../helpers/campaigns.js';

const evaluation = termsOf({ kind: 'evaluation' });
const application = termsOf({ kind: 'application' });
/** What a person reads: the title, then the body (not the chat-list summary or the subtitle). */
const text = (c: object) => `${String((c as CardJson).header?.title?.content ?? '')}${textOf({ body: (c as CardJson).body } as CardJson)}`;

describe('termsOf', () => {
  it('gives an evaluation its own words and an application its old ones', () => {
    expect([evaluation.submission, evaluation.number, evaluation.confirmList, evaluation.rankingTitle]).toEqual([
      '自评',
      '自评编号',
      '确认评估结果',
      '评估得分与等次',
    ]);
    expect([application.submission, application.number, application.confirmList, application.rankingTitle]).toEqual([
      '申报',
      '申报编号',
      '确认入选名单',
      '评审排名与入选名单',
    ]);
    expect(submissionsNoun([evaluation])).toBe('自评');
    expect(submissionsNoun([application, evaluation])).toBe('申报和自评');
    expect(submissionsNoun([])).toBe('申报');
  });

  it('states each programme’s grades for the administrator', () => {
    expect(gradeRulesText(shippedCampaign('weihai-2024-evaluation'))).toBe('按得分评定等次：优秀（85分及以上）、合格（50分及以上）、不合格（低于50分）');
    expect(gradeRulesText(shippedCampaign('gongshu-2020-evaluation'))).toBe(
      '按得分评定等次：优秀（72分及以上）、合格（48分及以上）、不合格（低于48分）；专家确认一票否决项的直接定为不合格',
    );
    expect(gradeRulesText(shippedCampaign('zhenjiang-2023-evaluation'))).toBe('专家组直接评定等次：优秀、合格、不合格');
  });

  it('结果运用: the consequences recorded, else the programme’s words for the grade, else nothing', () => {
    const weihai = shippedCampaign('weihai-2024-evaluation');
    expect(gradeUseLines(weihai, '不合格', ['给予一年整改时间（至 2025-08-12）'])).toEqual(['给予一年整改时间（至 2025-08-12）']);
    expect(gradeUseLines(shippedCampaign('zhenjiang-2023-evaluation'), '优秀', [])).toEqual(['给予一定的奖励']);
    expect(gradeUseLines(weihai, '合格', [])).toEqual([]);
  });
});

describe('cards in the programme’s words', () => {
  const submitted = {
    applicationId: 'a',
    number: 'WHPG2024-0001',
    campaignTitle: '威海市技能大师工作室2024年绩效评估',
    submittedAtText: '2024年7月15日 10:00',
    nextStageText: '下一步：区市人社部门组织自评',
  };

  it('the confirmation of a submission', () => {
    const own = text(submittedCard({ ...submitted, terms: evaluation }));
    expect(own).toContain('自评已提交');
    expect(own).toContain('**自评编号**：WHPG2024-0001');
    expect(own).not.toContain('申报');
    // Without terms (and with an application's) the card is what it always was.
    expect(text(submittedCard(submitted))).toBe(text(submittedCard({ ...submitted, terms: application })));
    expect(text(submittedCard(submitted))).toContain('申报已提交\n**申报编号**：WHPG2024-0001');
  });

  it('a return for changes', () => {
    const v = {
      campaignTitle: '威海市技能大师工作室2024年绩效评估',
      number: 'WHPG2024-0001',
      stageTitle: '区市人社部门组织自评',
      reasons: ['缺少佐证材料'],
      applicationId: 'a',
    };
    expect(text(returnedCard({ ...v, terms: evaluation }))).toContain(
      '自评被退回修改\n您提交的「威海市技能大师工作室2024年绩效评估」自评（编号 WHPG2024-0001）在“区市人社部门组织自评”环节被退回修改。',
    );
    expect(text(returnedCard(v))).toContain('申报被退回修改\n您提交的「威海市技能大师工作室2024年绩效评估」申报（编号 WHPG2024-0001）');
  });

  it('progress tells where the 自评 is, never how it did', () => {
    expect(text(evaluationProgressCard({ number: 'WHPG2024-0001', nextTitle: '评估结果公示', resultNext: true }))).toBe(
      '自评进展\n您的自评材料（编号 WHPG2024-0001）已进入「评估结果公示」环节。评估等次以发文公布的评估结果为准，公布时会通知您。',
    );
  });

  it('进度 names what it lists', () => {
    const item = { applicationId: 'a', campaignTitle: 't', number: 'WHPG2024-0001', statusText: '已提交，评估中', dates: [] };
    expect(text(statusCard({ items: [{ ...item, terms: evaluation }] }))).toContain('我的自评进度');
    expect(text(statusCard({ items: [{ ...item, terms: evaluation }] }))).toContain('自评编号：WHPG2024-0001');
    expect(text(statusCard({ items: [item, { ...item, terms: evaluation }] }))).toContain('我的申报和自评进度');
    expect(text(statusCard({ items: [item] }))).toContain('我的申报进度');
  });

  it('a reviewer of a self-assessment checks its 提交条件, not 申报条件', () => {
    const task = (terms: typeof evaluation) =>
      text(
        reviewTaskCard({
          taskId: 't',
          stageTitle: '区市人社部门组织自评',
          approveLabel: '报送',
          decisions: ['approve', 'return'],
          campaignTitle: '威海市技能大师工作室2024年绩效评估',
          number: 'WHPG2024-0001',
          unitName: '某公司',
          round: 1,
          sections: [],
          eligibility: [{ title: '年度工作报告齐全', status: 'pass', severity: 'block' }],
          warnings: [],
          attachments: [],
          terms,
        }),
      );
    expect(task(evaluation)).toContain('提交条件');
    expect(task(evaluation)).not.toContain('申报条件');
    expect(task(application)).toContain('申报条件');
  });
});
