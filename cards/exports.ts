// Cards of 导出: choose a programme and what to export; the job's progress and result.
import { z } from 'zod';

export const ExportAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('x.menu'), c: z.string().optional() }),
  /** The menu's form: campaign, what, number (one application's 申报表; blank = every one). */
  z.object({ a: z.literal('x.run') }),
]);
