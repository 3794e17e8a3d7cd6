// Regenerates infra/rabbitmq/definitions.json from the topology in src/topology.ts (run after `build`).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { rabbitmqDefinitions } = require('../dist');

const target = join(__dirname, '../../../infra/rabbitmq/definitions.json');
writeFileSync(target, `${JSON.stringify(rabbitmqDefinitions(), null, 2)}\n`);
console.log(`wrote ${target}`);
