module.exports = require('@foreman/eslint-config');
