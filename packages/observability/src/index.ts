export * from './correlation';
export * from './health';
export * from './logger.module';
export * from './metrics';
