// View models of the applicant journey: what each card shows, decided by the use cases
// (src/applications/). Card builders turn them into Card JSON 2.0 and know nothing else.
import type { FieldType } from '../../src/campaigns/schema.js';
import type { Terms } from '../../src/campaigns/terms.js';
import type { RuleStatus, StepState } from '../../src/forms/engine.js';

export type { RuleStatus, StepState, Terms };

/** A short coloured line at the top of a card: a save confirmation, an eligibility result… */
export interface Flash {
  kind: 'success' | 'info' | 'warning' | 'error';
  text: string;
}

export interface EligibilityLine {
  title: string;
  status: RuleStatus;
  severity: 'block' | 'warn';
  reason?: string;
}

/** 申报 → the programmes the user can apply to. */
export interface CampaignListView {
  items: {
    campaignId: string;
    title: string;
    /** Who may apply, one line. */
    summary: string;
    /** e.g. 截止时间：2026年12月31日 23:59, or 截止时间待定 */
    deadlineText: string;
    state: 'open' | 'closed' | 'upcoming';
    /** The user's own application in this programme, if any. */
    mine?: { status: 'draft' | 'submitted' | 'returned' | 'other'; number?: string; statusText: string };
  }[];
}

/** Choosing a programme → its conditions, materials and deadline. */
export interface IntroView {
  campaignId: string;
  title: string;
  issuer: string;
  summary: string;
  deadlineText: string;
  state: 'open' | 'closed' | 'upcoming';
  conditions: { title: string; severity: 'block' | 'warn' }[];
  materials: string[];
  contacts: { name: string; phone?: string; email?: string }[];
  /** Present when the user already has an application here. */
  existing?: { applicationId: string; status: 'draft' | 'submitted' | 'returned' | 'other'; number?: string; done: number; total: number };
  /** The form can be sent filled in as a Word file (applications; a self-assessment is filled in the chat). */
  wordImport?: boolean;
}

/** One input on a step or row card. `value` is what the input shows (the saved answer, or what was typed when it was rejected). */
export interface InputView {
  id: string;
  label: string;
  type: FieldType;
  required: boolean;
  hint?: string;
  placeholder?: string;
  /** For choice / multiChoice / yesNo. */
  options?: string[];
  maxLength?: number;
  unit?: string;
  value?: string | string[];
  /** Its own Chinese message when the last submit rejected it. */
  error?: string;
}

/** One section (or one page of a long section) of the form. */
export interface StepView {
  applicationId: string;
  /** The draft version the card was built from; a click on an older card is answered with the current one. */
  version: number;
  campaignTitle: string;
  /** 0-based position among all steps, and the number of steps. */
  stepIndex: number;
  stepCount: number;
  /** Steps already done (for the progress bar). */
  doneCount: number;
  sectionId: string;
  title: string;
  description?: string;
  page?: { index: number; count: number };
  inputs: InputView[];
  /** Repeating groups of this section: listed with a button to manage their rows. */
  groups: { id: string; label: string; rowLabel: string; rowCount: number; minRows: number; maxRows: number; preview: string[] }[];
  flashes: Flash[];
  /** Rules whose data is in (pass or fail), so the applicant learns at once. */
  eligibility: EligibilityLine[];
  isFirst: boolean;
  isLast: boolean;
}

/** The rows of one repeating group (team members, awards). */
export interface GroupView {
  applicationId: string;
  version: number;
  sectionId: string;
  groupId: string;
  label: string;
  rowLabel: string;
  minRows: number;
  maxRows: number;
  columns: string[];
  rows: { index: number; cells: string[] }[];
  flashes: Flash[];
}

/** Adding (rowIndex undefined) or editing one row. */
export interface RowFormView {
  applicationId: string;
  version: number;
  sectionId: string;
  groupId: string;
  label: string;
  rowLabel: string;
  rowIndex?: number;
  inputs: InputView[];
  flashes: Flash[];
}

export interface AttachmentSlotView {
  slotId: string;
  label: string;
  hint?: string;
  required: boolean;
  accept: string[];
  maxSizeMB: number;
  maxFiles: number;
  files: { uploadId: string; name: string; sizeText: string }[];
}

/** Every section's state, the attachment slots, and where to go next. */
export interface OverviewView {
  applicationId: string;
  version: number;
  campaignTitle: string;
  deadlineText: string;
  steps: { index: number; id: string; title: string; state: StepState }[];
  attachments: AttachmentSlotView[];
  /** Files received but not yet assigned to a slot. */
  unassigned: { uploadId: string; name: string; sizeText: string }[];
  eligibility: EligibilityLine[];
  flashes: Flash[];
  /** The programme's words (申报 or 自评); an application's when absent. */
  terms?: Terms;
}

/** A file arrived: which slot does it belong to? */
export interface FileSlotChoiceView {
  applicationId: string;
  version: number;
  uploadId: string;
  fileName: string;
  sizeText: string;
  kindText: string;
  /** Slots that accept this file's type and size; others listed with the reason they don't. */
  slots: { slotId: string; label: string; fits: boolean; why?: string; filled: number; maxFiles: number }[];
  /** Said first (a Word file that could not be read as the 申报表, and why). */
  note?: string;
}

/** The summary before submitting. ID numbers and phones are already masked in `value`. */
export interface ReviewView {
  applicationId: string;
  version: number;
  campaignTitle: string;
  deadlineText: string;
  studioName?: string;
  sections: {
    title: string;
    rows: { label: string; value: string }[];
    groups: { label: string; columns: string[]; rows: string[][] }[];
  }[];
  attachments: { label: string; files: string[]; required: boolean }[];
  /** Why it cannot be submitted yet (empty when it can). */
  blockers: string[];
  warnings: string[];
  eligibility: EligibilityLine[];
  declarations: { id: string; text: string; confirmed: boolean; veto: boolean }[];
  canSubmit: boolean;
  flashes: Flash[];
  /** The programme's words (申报 or 自评); an application's when absent. */
  terms?: Terms;
}

export interface SubmittedView {
  applicationId: string;
  number: string;
  campaignTitle: string;
  studioName?: string;
  submittedAtText: string;
  nextStageText: string;
  /** The programme's words (申报 or 自评); an application's when absent. */
  terms?: Terms;
}

/** 进度 → each of the user's applications. */
export interface StatusView {
  items: {
    applicationId: string;
    campaignTitle: string;
    number?: string;
    statusText: string;
    stageText?: string;
    dates: { label: string; text: string }[];
    /** Reviewers' reasons when returned for changes. */
    returnReasons?: string[];
    /** draft: 继续填写; returned: 修改并重新提交. */
    action?: 'continue' | 'resubmit';
    /** The item's programme's words (申报编号 or 自评编号); an application's when absent. */
    terms?: Terms;
  }[];
}

/** A plain message card (errors that are not about one field, confirmations). */
export interface NoticeView {
  title: string;
  text: string;
  template: 'blue' | 'green' | 'orange' | 'red' | 'grey';
  /** Optional buttons, each an action value (see actions.ts). */
  buttons?: { text: string; value: Record<string, unknown>; primary?: boolean }[];
}
