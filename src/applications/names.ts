// What an application is called on cards, lists and exports: the unit (the field `unitName`, else
// the form's first text field) and the studio (what was typed, or the naming rule's result).
import type { Campaign } from '../campaigns/schema.js';
import { type Answers, suggestedStudioName } from '../forms/engine.js';

export function unitNameOf(c: Campaign, answers: Answers): string {
  const fields = c.form.sections.flatMap((s) => s.fields);
  // Wuhan's form opens with the studio's occupation, not the unit.
  const f = fields.find((x) => x.id === 'unitName') ?? fields.find((x) => x.type === 'text');
  return f ? String(answers[f.id] ?? '') : '';
}

export function studioNameOf(c: Campaign, answers: Answers): string {
  return (typeof answers.studioName === 'string' && answers.studioName) || suggestedStudioName(c, answers) || unitNameOf(c, answers);
}
