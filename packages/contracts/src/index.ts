export * from './config';
export * from './dto';
export * from './events';
export * from './topology';
export * from './validation';
