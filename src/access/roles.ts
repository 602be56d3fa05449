// The parts a person plays: every user may apply; reviewer, expert and administrator are granted.
export type Role = 'applicant' | 'reviewer' | 'expert' | 'admin';
