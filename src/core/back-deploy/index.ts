export * from './net';
export * from './ignore';
export * from './pipeline';
