export * from './auth';
export * from './error';
export * from './health';
export * from './model';
export * from './project';
export * from './queue';
