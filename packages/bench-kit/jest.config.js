module.exports = require('@foreman/jest-config').jestConfig(__dirname);
