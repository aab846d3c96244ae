/** Git delta: the components two commits differ by, as a package and destructive changes. */
export * from './name-status';
export * from './manifest';
export * from './plan';
export * from './refs';
export * from './preview';
export * from './labels';
