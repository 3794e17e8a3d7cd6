import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, projects, the labelling queue, the outbox, consumer de-duplication and model versions. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'labeller')),
        active boolean NOT NULL DEFAULT true,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);

    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);

    await db.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz
      )`);

    await db.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        classes text[] NOT NULL CHECK (cardinality(classes) >= 2),
        multi_label boolean NOT NULL DEFAULT false,
        input_kind text NOT NULL CHECK (input_kind IN ('vector', 'image', 'text')),
        shape integer[],
        labels_per_item integer NOT NULL DEFAULT 1 CHECK (labels_per_item >= 1),
        lease_seconds integer NOT NULL DEFAULT 600 CHECK (lease_seconds > 0),
        strategy text NOT NULL DEFAULT 'entropy'
          CHECK (strategy IN ('entropy', 'margin', 'least-confidence', 'random')),
        shuffle_proportion double precision NOT NULL DEFAULT 0.1
          CHECK (shuffle_proportion >= 0 AND shuffle_proportion <= 1),
        retrain_every_labels integer NOT NULL DEFAULT 10 CHECK (retrain_every_labels >= 1),
        retrain_after_seconds integer NOT NULL DEFAULT 30 CHECK (retrain_after_seconds >= 1),
        archived boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE project_members (
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, user_id)
      )`);
    await db.query(`CREATE INDEX project_members_user_idx ON project_members (user_id)`);

    // remaining_labels = labels still needed; the partial index holds only items the queue can serve,
    // so claiming stays cheap however many items are already done.
    await db.query(`
      CREATE TABLE items (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        external_id text NOT NULL,
        payload jsonb NOT NULL,
        priority double precision NOT NULL DEFAULT 0,
        remaining_labels integer NOT NULL CHECK (remaining_labels >= 0),
        label_count integer NOT NULL DEFAULT 0 CHECK (label_count >= 0),
        score double precision,
        strategy text,
        model_version integer,
        predicted_class text,
        predicted_probability double precision,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, external_id)
      )`);
    await db.query(
      `CREATE INDEX items_queue_idx ON items (project_id, priority DESC, id) WHERE remaining_labels > 0`,
    );

    await db.query(`
      CREATE TABLE labels (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        item_id integer NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        labeller_id uuid NOT NULL REFERENCES users (id),
        value text[] NOT NULL CHECK (cardinality(value) >= 1),
        client_request_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retracted_at timestamptz,
        UNIQUE (labeller_id, client_request_id)
      )`);
    await db.query(`CREATE INDEX labels_item_idx ON labels (item_id) WHERE retracted_at IS NULL`);
    await db.query(
      `CREATE INDEX labels_project_labeller_idx ON labels (project_id, labeller_id, created_at DESC)`,
    );
    // One live label per labeller and item: a labeller never labels the same item twice.
    await db.query(
      `CREATE UNIQUE INDEX labels_one_per_labeller_key ON labels (item_id, labeller_id) WHERE retracted_at IS NULL`,
    );

    // At most one lease per item: no item is ever held by two labellers at once.
    await db.query(`
      CREATE TABLE leases (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        item_id integer NOT NULL UNIQUE REFERENCES items (id) ON DELETE CASCADE,
        labeller_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX leases_labeller_idx ON leases (project_id, labeller_id)`);
    await db.query(`CREATE INDEX leases_expiry_idx ON leases (expires_at)`);

    await db.query(`
      CREATE TABLE skips (
        item_id integer NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        labeller_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (labeller_id, item_id)
      )`);

    await db.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text
      )`);
    await db.query(
      `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at, id) WHERE published_at IS NULL`,
    );

    // Consumers record each event id they have handled, in the transaction of its effects.
    await db.query(`
      CREATE TABLE processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);

    await db.query(`
      CREATE TABLE model_versions (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        version integer NOT NULL,
        trained_at timestamptz NOT NULL DEFAULT now(),
        label_count integer NOT NULL,
        metrics jsonb NOT NULL,
        training_ms double precision NOT NULL,
        backend text NOT NULL,
        artifacts jsonb,
        UNIQUE (project_id, version)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'model_versions',
      'processed_events',
      'outbox',
      'skips',
      'leases',
      'labels',
      'items',
      'project_members',
      'projects',
      'api_tokens',
      'sessions',
      'users',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
