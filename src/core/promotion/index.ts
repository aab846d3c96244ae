export * from './history';
export * from './send';
export * from './send-freshness';
export * from './behind';
export * from './queue';
export * from './revert';
export * from './org-history';
export * from './log';
