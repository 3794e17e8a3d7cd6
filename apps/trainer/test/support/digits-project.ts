import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { EVENTS_EXCHANGE, EVENT_TYPES, buildEvent, type DomainEvent } from '@foreman/contracts';

export interface Digit {
  pixels: number[];
  digit: number;
}

/** The demo's 8x8 digits (64 intensities 0..16, then the true class). */
export function loadDigits(): Digit[] {
  const text = gunzipSync(readFileSync(join(__dirname, '../../../../data/demo/digits.csv.gz'))).toString(
    'utf8',
  );
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const values = line.split(',').map(Number);
      return { pixels: values.slice(0, 64), digit: values[64]! };
    });
}

export interface SeededProject {
  projectId: string;
  labellerId: string;
  /** label.submitted events for the seeded labels, not yet published. */
  labelEvents: DomainEvent[];
  unlabelledItemIds: number[];
}

export interface SeedOptions {
  labelled: number;
  retrainEveryLabels?: number;
  retrainAfterSeconds?: number;
}

/**
 * A digits project written straight to the database, as the API would leave it: `itemCount` items of
 * which the first `labelled` carry their true label (one labeller, one label per item).
 */
export function seedDigitsProject(
  databaseUrl: string,
  options: SeedOptions & { itemCount: number },
): Promise<SeededProject> {
  const digits = loadDigits().slice(0, options.itemCount);
  return seedProject(
    databaseUrl,
    {
      name: 'Digits',
      classes: Array.from({ length: 10 }, (_, digit) => String(digit)),
      inputKind: 'vector',
      shape: [8, 8],
    },
    digits.map((digit) => ({ payload: { vector: digit.pixels }, truth: String(digit.digit) })),
    options,
  );
}

/** A project of these items, the first `labelled` of them labelled with their truth by one labeller. */
export async function seedProject(
  databaseUrl: string,
  project: { name: string; classes: string[]; inputKind: string; shape: number[] | null },
  items: { payload: object; truth: string }[],
  options: SeedOptions,
): Promise<SeededProject> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [user] = (
      await client.query(
        `INSERT INTO users (email, display_name, role, password_hash)
         VALUES ('oracle-' || gen_random_uuid() || '@test.local', 'Oracle', 'labeller', '!') RETURNING id`,
      )
    ).rows;
    const [{ id: projectId }] = (
      await client.query(
        `INSERT INTO projects (name, classes, input_kind, shape, retrain_every_labels, retrain_after_seconds)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          project.name,
          project.classes,
          project.inputKind,
          project.shape,
          options.retrainEveryLabels ?? 10,
          options.retrainAfterSeconds ?? 30,
        ],
      )
    ).rows;
    const itemIds: number[] = (
      await client.query(
        `INSERT INTO items (project_id, external_id, payload, remaining_labels)
         SELECT $1, 'item-' || n, p, 1
           FROM unnest($2::jsonb[]) WITH ORDINALITY AS t(p, n)
         RETURNING id`,
        [projectId, items.map((item) => JSON.stringify(item.payload))],
      )
    ).rows.map((row: { id: number }) => row.id);
    const labelEvents: DomainEvent[] = [];
    for (let index = 0; index < options.labelled; index++) {
      const itemId = itemIds[index]!;
      const value = [items[index]!.truth];
      const [label] = (
        await client.query(
          `INSERT INTO labels (project_id, item_id, labeller_id, value, client_request_id)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [projectId, itemId, user.id, value, `seed-${index}`],
        )
      ).rows;
      await client.query(`UPDATE items SET remaining_labels = 0, label_count = 1 WHERE id = $1`, [itemId]);
      labelEvents.push(
        buildEvent(EVENT_TYPES.labelSubmitted, projectId, {
          labelId: label.id,
          itemId,
          labellerId: user.id,
          value,
        }),
      );
    }
    return {
      projectId,
      labellerId: user.id,
      labelEvents,
      unlabelledItemIds: itemIds.slice(options.labelled),
    };
  } finally {
    await client.end();
  }
}

/** A test's own connection to the vhost: publishes like the API's relay, listens like an observer. */
export class BrokerProbe {
  private constructor(
    private readonly connection: amqp.ChannelModel,
    readonly channel: amqp.ConfirmChannel,
  ) {}

  static async open(url: string): Promise<BrokerProbe> {
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    return new BrokerProbe(connection, channel);
  }

  /** Collects the events of these types, parsed, in arrival order. */
  async observe(routingKeys: string[]): Promise<DomainEvent[]> {
    const seen: DomainEvent[] = [];
    const { queue } = await this.channel.assertQueue('', { exclusive: true });
    for (const key of routingKeys) await this.channel.bindQueue(queue, EVENTS_EXCHANGE, key);
    await this.channel.consume(
      queue,
      (message) => message && seen.push(JSON.parse(message.content.toString())),
      {
        noAck: true,
      },
    );
    return seen;
  }

  async publish(routingKey: string, body: unknown): Promise<void> {
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    await new Promise<void>((resolve, reject) =>
      this.channel.publish(EVENTS_EXCHANGE, routingKey, content, { persistent: true }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
