// The applicant journey's card builders (see README.md). Pure: view model in, Card JSON 2.0 out.

export { campaignListCard, introCard, noticeCard, statusCard } from './campaigns.js';
export { type FormImportView, formImportCard } from './form-import.js';
export { groupCard, rowFormCard } from './group.js';
export { fileSlotChoiceCard, overviewCard } from './overview.js';
export { reviewCard, submittedCard } from './review.js';
export { pageInputs, stepCard } from './step.js';
