// Programmes of one bureau across the years form a family (weihai-2024, weihai-2026-evaluation…):
// designated studios belong to the family, and evaluation rounds pick their studios by it.

/** weihai-2024 → weihai; zhenjiang-2023-evaluation → zhenjiang. */
export const campaignFamily = (campaignId: string) => campaignId.replace(/-\d{4}(-evaluation)?$/, '').replace(/-evaluation$/, '');
