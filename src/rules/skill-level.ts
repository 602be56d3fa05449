// 职业技能等级. The five classic levels are numbered 五级 (lowest) … 一级 (highest), so the 级
// number runs against the rank: always compare ranks, never the numbers.

/** Canonical names, low → high. */
export const SKILL_LEVELS: readonly string[] = Object.freeze(['学徒工', '初级工', '中级工', '高级工', '技师', '高级技师', '特级技师', '首席技师']);

const BY_NUMBER: Record<string, string> = {
  五: '初级工',
  '5': '初级工',
  四: '中级工',
  '4': '中级工',
  三: '高级工',
  '3': '高级工',
  二: '技师',
  '2': '技师',
  一: '高级技师',
  '1': '高级技师',
};

// Alternation order matters: longer names first, so 高级技师 is not read as 技师.
const NAME = /首席技师|特级技师|高级技师|技师|高级工|中级工|初级工|学徒工|学徒|高级|中级|初级/g;
const NUMBER = /([一二三四五1-5])级/g;
// Words that may surround a level without changing it; anything else left over means the text
// is something else (e.g. 高级工程师 is a professional title, not a skill level).
const FILLER = /国家|职业资格|职业技能等级|技能等级|等级|证书|[()[\]/、,，:：-]/g;

/**
 * Reads a skill level as people write it ('五级/初级工', '职业资格二级', '技师（二级）', '一级')
 * and returns the canonical name, or null when unknown or self-contradictory ('高级工（二级）').
 */
export function normalizeSkillLevel(text: string): string | null {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  if (t.length === 0) return null;

  const found = new Set<string>();
  let rest = t.replace(NUMBER, (_, n: string) => {
    found.add(BY_NUMBER[n]!);
    return ' ';
  });
  rest = rest.replace(NAME, (name: string) => {
    found.add(name === '学徒' ? '学徒工' : name.length === 2 && name !== '技师' ? `${name}工` : name);
    return ' ';
  });
  if (rest.replace(FILLER, '').replace(/\s+/g, '').length > 0) return null;
  if (found.size !== 1) return null;
  return [...found][0]!;
}

/** 0 (学徒工) … 7 (首席技师); -1 when the text is not a recognisable level. */
export function skillRank(level: string): number {
  const name = normalizeSkillLevel(level);
  return name === null ? -1 : SKILL_LEVELS.indexOf(name);
}

/** True when `level` is at least `minimum`; an unrecognisable level or minimum never meets. */
export function meetsMinimumSkillLevel(level: string, minimum: string): boolean {
  const have = skillRank(level);
  const need = skillRank(minimum);
  return have >= 0 && need >= 0 && have >= need;
}
