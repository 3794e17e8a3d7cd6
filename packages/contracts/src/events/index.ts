export * from './event-types';
export * from './envelope';
export * from './schemas';
export * from './parse-event';
export * from './build-event';
