// How big a file the bot takes from a chat, by what it is for; and how a programme file or a
// studio list is told by its name. The intake (src/bot/intake.ts) and the use cases share them.

/** Lark delivers at most 100 MB; no programme accepts more than this per file. */
export const MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;
/** Programme files are text; anything bigger is not one. */
export const MAX_CAMPAIGN_FILE_BYTES = 1024 * 1024;
/** A studio list of a whole province fits in a few hundred kilobytes. */
export const MAX_STUDIO_LIST_BYTES = 10 * 1024 * 1024;

export const isCampaignFileName = (name: string) => /\.ya?ml$/i.test(name.trim());
export const isSpreadsheetName = (name: string) => /\.(xlsx|csv)$/i.test(name.trim());
