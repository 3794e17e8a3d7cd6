import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@foreman/contracts';
import { RANKED_ITEM_COLUMNS, applyQueueRanking } from '@foreman/database';
import { SESSION_COOKIE, hashSecretToken, newSecretToken } from '../src/modules/auth/secret-token';
import type { TestApi } from './test-app';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  /** `Cookie` header value of a live session for this user. */
  cookie: string;
}

/**
 * A user with a live session, written straight to the database so tests of other features do not
 * depend on the sign-in flow (which has its own tests). The password hash is a placeholder: this user
 * cannot sign in with a password.
 */
export async function createUserWithSession(
  api: TestApi,
  options: { role?: Role; displayName?: string; projectIds?: string[] } = {},
): Promise<TestUser> {
  const db = api.app.get(DataSource);
  const email = `${randomUUID()}@test.local`;
  const role = options.role ?? 'labeller';
  const [{ id }] = await db.query(
    `INSERT INTO users (email, display_name, role, password_hash) VALUES ($1, $2, $3, '!') RETURNING id`,
    [email, options.displayName ?? email.slice(0, 8), role],
  );
  for (const projectId of options.projectIds ?? []) {
    await db.query(`INSERT INTO project_members (project_id, user_id) VALUES ($1, $2)`, [projectId, id]);
  }
  const token = newSecretToken();
  await db.query(
    `INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`,
    [id, hashSecretToken(token)],
  );
  return { id, email, role, cookie: `${SESSION_COOKIE}=${token}` };
}

export interface TestProject {
  id: string;
  /** Item ids in queue order (import order, until a ranking is applied). */
  itemIds: number[];
}

/**
 * A project with `items` vector items written straight to the database (import has its own tests),
 * served in `itemIds` order.
 */
export async function createProjectWithItems(
  api: TestApi,
  options: {
    items: number;
    classes?: string[];
    multiLabel?: boolean;
    labelsPerItem?: number;
    leaseSeconds?: number;
  },
): Promise<TestProject> {
  const db = api.app.get(DataSource);
  const labelsPerItem = options.labelsPerItem ?? 1;
  const [{ id }] = await db.query(
    `INSERT INTO projects (name, classes, multi_label, input_kind, shape, labels_per_item, lease_seconds)
     VALUES ($1, $2, $3, 'vector', '{2}', $4, $5) RETURNING id`,
    [
      `project ${randomUUID().slice(0, 8)}`,
      options.classes ?? ['cat', 'dog', 'bird'],
      options.multiLabel ?? false,
      labelsPerItem,
      options.leaseSeconds ?? 600,
    ],
  );
  const rows: { id: number }[] = await db.query(
    `INSERT INTO items (project_id, external_id, payload, remaining_labels)
     SELECT $1, 'item-' || n, jsonb_build_object('vector', jsonb_build_array(n, n)), $3
       FROM generate_series(1, $2) AS n
     ORDER BY n
     RETURNING id`,
    [id, options.items, labelsPerItem],
  );
  return { id, itemIds: rows.map((row) => row.id).sort((a, b) => a - b) };
}

export interface RankedItem {
  itemId: number;
  score: number;
  predictedClass?: string;
  predictedProbability?: number;
  shuffled?: boolean;
}

/**
 * Puts a ranking in force the way the scheduler does (its own queue_ranks partition, and the project
 * switched to it): `ranked` in serving order.
 */
export async function applyRanking(
  api: TestApi,
  projectId: string,
  ranking: { modelVersion: number; strategy: string; ranked: RankedItem[] },
): Promise<void> {
  const { modelVersion, strategy, ranked } = ranking;
  await api.app.get(DataSource).transaction((tx) =>
    applyQueueRanking(
      tx,
      { projectId, modelVersion, strategy },
      {
        sql: `SELECT u.item_id, u.rank - 1, u.score, u.predicted_class, u.predicted_probability, u.shuffled
                FROM unnest($1::integer[], $2::double precision[], $3::text[], $4::double precision[],
                            $5::boolean[])
                     WITH ORDINALITY AS u(item_id, score, predicted_class, predicted_probability, shuffled, rank)`,
        params: [
          ranked.map((item) => item.itemId),
          ranked.map((item) => item.score),
          ranked.map((item) => item.predictedClass ?? null),
          ranked.map((item) => item.predictedProbability ?? null),
          ranked.map((item) => item.shuffled ?? false),
        ],
        columns: [...RANKED_ITEM_COLUMNS, 'shuffled'],
      },
    ),
  );
}

/** An empty project written straight to the database; vector projects default to shape [2]. */
export async function createProject(
  api: TestApi,
  options: {
    inputKind?: 'vector' | 'image' | 'text';
    shape?: number[] | null;
    classes?: string[];
    multiLabel?: boolean;
    labelsPerItem?: number;
    name?: string;
  } = {},
): Promise<{ id: string }> {
  const db = api.app.get(DataSource);
  const inputKind = options.inputKind ?? 'vector';
  const [{ id }] = await db.query(
    `INSERT INTO projects (name, classes, multi_label, input_kind, shape, labels_per_item)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      options.name ?? `project ${randomUUID().slice(0, 8)}`,
      options.classes ?? ['cat', 'dog', 'bird'],
      options.multiLabel ?? false,
      inputKind,
      options.shape !== undefined ? options.shape : inputKind === 'vector' ? [2] : null,
      options.labelsPerItem ?? 1,
    ],
  );
  return { id };
}
