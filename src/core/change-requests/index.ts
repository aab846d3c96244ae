export * from './model';
export * from './rules';
export * from './history';
export * from './conflicts';
