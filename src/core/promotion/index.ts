export * from './history';
export * from './send';
export * from './behind';
