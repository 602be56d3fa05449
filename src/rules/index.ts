// Pure business rules: validation of what applicants type, and the dates the programmes depend on.

export * from './contact.js';
export * from './credit-code.js';
export * from './id-number.js';
export * from './result.js';
export * from './retirement.js';
export * from './skill-level.js';
export * from './studio-name.js';
export * from './working-days.js';
