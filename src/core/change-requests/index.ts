export * from './model';
export * from './rules';
export * from './history';
export * from './conflicts';
export * from './service';
export * from './sync';
export * from './after-deploy';
