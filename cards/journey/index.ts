// The applicant journey's card builders (see README.md). Pure: view model in, Card JSON 2.0 out.
export { programmeListCard, introCard, statusCard, noticeCard } from './programmes.js';
export { stepCard, pageInputs } from './step.js';
export { groupCard, rowFormCard } from './group.js';
export { overviewCard, fileSlotChoiceCard } from './overview.js';
export { reviewCard, submittedCard } from './review.js';
