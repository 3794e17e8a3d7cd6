export * from './data-source';
export * from './entities';
export { migrations } from './migrations';
export * from './health-check';
export * from './queue-sql';
export * from './queue-ranks';
export * from './pg-pool';
export * from './pg-errors';
