module.exports = require('@foreman/jest-config').jestConfig(__dirname, { testTimeout: 60_000 });
