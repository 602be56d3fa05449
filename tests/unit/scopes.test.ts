// The scopes the bot needs are one list (src/lark/scopes.ts): docs/operators.md's table names exactly
// those, the emulator's default tenant grants them, and missingNeeds reads "any of" right.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES } from '../../src/emulator/server.js';
import { APPROVAL_SCOPES, BITABLE_SCOPES, EMPLOYEE_ID_SCOPE, missingNeeds, REQUIRED_SCOPES } from '../../src/lark/scopes.js';

describe('scopes', () => {
  it('the scopes table in docs/operators.md lists exactly the scopes the code needs', () => {
    const doc = readFileSync(new URL('../../docs/operators.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('| 权限名称 Scope name |'), doc.indexOf('## 长连接模式 LARK_MODE=ws'));
    const listed = [...table.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...new Set([...REQUIRED_SCOPES, EMPLOYEE_ID_SCOPE, ...APPROVAL_SCOPES, ...BITABLE_SCOPES].map((s) => s.scope))].sort());
  });

  it('the emulator grants by default what the bot needs, and not user_id', () => {
    expect(missingNeeds(DEFAULT_GRANTED_SCOPES)).toEqual([]);
    expect(DEFAULT_GRANTED_SCOPES).not.toContain(EMPLOYEE_ID_SCOPE.scope);
  });

  it.each<[string[], string[]]>([
    [[], REQUIRED_SCOPES.map((s) => s.scope)],
    [['im:message'], REQUIRED_SCOPES.map((s) => s.scope).filter((s) => s !== 'im:message:send_as_bot' && s !== 'im:message:readonly')],
    [[...DEFAULT_GRANTED_SCOPES].filter((s) => s !== 'contact:user.id:readonly'), ['contact:user.id:readonly']],
  ])('granted %j → missing %j', (granted, missing) => {
    expect(missingNeeds(granted).map((n) => n.scope)).toEqual(missing);
  });
});
