module.exports = require('@foreman/jest-config').jestConfig(__dirname, {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // MessagingModule connects once per init hook, and a hybrid app runs them twice: the first RabbitMQ
  // connection is never closed (reported to the lead), which would keep jest waiting forever.
  forceExit: true,
});
