/**
 * Test databases on the machine's real PostgreSQL: migrations run once into a template (jest global
 * setup), then every test file gets its own copy, so files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from './data-source';

const TEMPLATE_ENV = 'FOREMAN_TEST_TEMPLATE_DB';

/** The server tests use: TEST_DATABASE_URL, else the local PostgreSQL as user postgres. */
export function testServerUrl(): string {
  // eslint-disable-next-line no-restricted-properties -- test helper, read before any app config
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(name: string, server = testServerUrl()): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function dropDatabase(name: string): Promise<void> {
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Jest globalSetup: a migrated template database, named in the environment for the test workers. */
export async function prepareTemplateDatabase(): Promise<string> {
  const name = uniqueName('foreman_template');
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  await runMigrations(databaseUrl(name));
  // eslint-disable-next-line no-restricted-properties -- handed to jest workers through the environment
  process.env[TEMPLATE_ENV] = name;
  return name;
}

/** Jest globalTeardown. */
export async function dropTemplateDatabase(): Promise<void> {
  // eslint-disable-next-line no-restricted-properties -- see prepareTemplateDatabase
  const name = process.env[TEMPLATE_ENV];
  if (name) await dropDatabase(name);
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file. Call `drop()` in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  // eslint-disable-next-line no-restricted-properties -- see prepareTemplateDatabase
  const template = process.env[TEMPLATE_ENV];
  const name = uniqueName('foreman_test');
  if (template) {
    await onServer((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  } else {
    await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
    await runMigrations(databaseUrl(name));
  }
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}

/** Runs `work` (a bench, a drill) on a fresh test database and drops it afterwards, whatever happened. */
export async function withTestDatabase<T>(work: (database: TestDatabase) => Promise<T>): Promise<T> {
  const database = await createTestDatabase();
  try {
    return await work(database);
  } finally {
    await database.drop();
  }
}

/** An empty database with no migrations applied, for migration tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const name = uniqueName('foreman_empty');
  await onServer((client) => client.query(`CREATE DATABASE "${name}"`));
  return { name, url: databaseUrl(name), drop: () => dropDatabase(name) };
}
