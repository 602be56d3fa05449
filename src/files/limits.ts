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

/** A filled 申报表 sent as a Word file (read into the draft, issue 21): at most this large. */
export const MAX_FORM_FILE_BYTES = 20 * 1024 * 1024;
/** Word and WPS documents by name (.docx, the old .doc, WPS's .wps). */
export const isWordName = (name: string) => /\.(docx|doc|wps)$/i.test(name.trim());

/**
 * What the bot sends as a file: Lark's 上传文件 (im/v1/files) takes at most 30 MB (「文件大小不得超过
 * 30M」); counted here the smaller way (10^6 bytes a MB), whichever way Lark counts it.
 */
export const MAX_UPLOAD_BYTES = 30 * 1000 * 1000;
