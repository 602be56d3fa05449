// The refusal a registered action gives, read from the registry itself: tests compare against it
// instead of copying sentences.
import { refusalText } from '../../src/access/permissions.js';
import type { Harness } from './harness.js';

export function refusalOf(h: Pick<Harness, 'app'>, name: string, kind: 'card' | 'command' | 'file' = 'card'): string {
  const spec = h.app.services.actions.list().find((a) => a.kind === kind && a.name === name);
  if (!spec) throw new Error(`no ${kind} action ${name} is registered`);
  return refusalText(spec.permission, spec.describe);
}
