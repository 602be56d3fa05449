// The Lark SDK, loaded as the CommonJS module it ships as. Its bundle is one 6 MB file; imported
// as ESM, Node scans and keeps it for named exports and the process holds ~35 MB more (~85 MB
// more under tsx) than with require. Everything that calls Lark takes the SDK from here.
import { createRequire } from 'node:module';
import type * as Sdk from '@larksuiteoapi/node-sdk';

export const lark = createRequire(import.meta.url)('@larksuiteoapi/node-sdk') as typeof Sdk;
export type { Sdk };
