export * from './event-context';
export * from './event-dispatcher';
export * from './event-publisher';
export * from './rabbitmq-connection';
export * from './rabbitmq-event-transport';
export * from './messaging.module';
export * from './event-error.filter';
export * from './local-event-bus';
