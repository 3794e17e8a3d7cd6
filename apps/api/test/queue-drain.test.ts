import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { nextItemResponseSchema, submitLabelResponseSchema } from '@foreman/contracts';
import { createProjectWithItems, createUserWithSession, type TestProject, type TestUser } from './fixtures';
import { startTestApi, type TestApi } from './test-app';

const LABELLERS = 32;
const LEASE_SECONDS = 600;
const SKIP_RATE = 0.03;
const CLASSES = ['cat', 'dog', 'bird'];

/**
 * A dropped keep-alive connection (ECONNRESET under load) is retried, as the labelling page does: next is
 * reload-safe and a submit carries its client request id, so a retry never labels twice.
 */
async function fetchWithRetry(url: string, init: RequestInit, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** One lease as the labeller saw it: from its grant to the label (or skip) that ended it, server times. */
interface Holding {
  itemId: number;
  leaseId: number;
  labellerId: string;
  from: number;
  to?: number;
  skipped?: boolean;
}

/**
 * 32 labellers drain a 2,000-item project (one label per item) and then a 100-item project that needs three
 * labels per item, all at once through the HTTP API, each skipping now and then.
 */
describe('32 concurrent labellers draining the queue', () => {
  let api: TestApi;
  let db: DataSource;
  let baseUrl: string;

  beforeAll(async () => {
    api = await startTestApi();
    db = api.app.get(DataSource);
    await api.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await api?.close();
  });

  async function post(
    user: TestUser,
    path: string,
    body?: object,
  ): Promise<{ status: number; json: unknown }> {
    const response = await fetchWithRetry(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: await response.json() };
  }

  async function drain(user: TestUser, project: TestProject, holdings: Holding[]): Promise<void> {
    for (;;) {
      const next = await post(user, `/projects/${project.id}/next`);
      expect(next.status).toBe(200);
      const answer = nextItemResponseSchema.parse(next.json);
      if (answer.status === 'done') {
        // Items others hold may still come back to the queue (a skip); stop once everything is labelled.
        if (answer.progress.fullyLabelled === answer.progress.total) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const holding: Holding = {
        itemId: answer.item.id,
        leaseId: answer.lease.id,
        labellerId: user.id,
        from: Date.parse(answer.lease.expiresAt) - LEASE_SECONDS * 1000,
      };
      holdings.push(holding);
      if (Math.random() < SKIP_RATE) {
        expect((await post(user, `/items/${answer.item.id}/skip`)).status).toBe(200);
        holding.skipped = true;
        continue;
      }
      const value = CLASSES[Math.floor(Math.random() * CLASSES.length)]!;
      const submitted = await post(user, `/items/${answer.item.id}/labels`, {
        value,
        clientRequestId: randomUUID(),
        leaseId: answer.lease.id,
      });
      expect([200, 201]).toContain(submitted.status); // 200: a retried request answered again
      holding.to = Date.parse(submitLabelResponseSchema.parse(submitted.json).label.createdAt);
    }
  }

  it('labels every item exactly as often as required, never leasing one item to two labellers at once', async () => {
    const single = await createProjectWithItems(api, {
      items: 2000,
      labelsPerItem: 1,
      leaseSeconds: LEASE_SECONDS,
    });
    const triple = await createProjectWithItems(api, {
      items: 100,
      labelsPerItem: 3,
      leaseSeconds: LEASE_SECONDS,
    });
    const labellers = await Promise.all(
      Array.from({ length: LABELLERS }, () =>
        createUserWithSession(api, { projectIds: [single.id, triple.id] }),
      ),
    );
    const holdings: Holding[] = [];

    const started = Date.now();
    await Promise.all(
      labellers.map(async (labeller) => {
        await drain(labeller, single, holdings);
        await drain(labeller, triple, holdings);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const labelCount = holdings.filter((holding) => !holding.skipped).length;
    console.log(`${LABELLERS} labellers: ${labelCount} labels in ${seconds.toFixed(1)} s`);

    // Skips end a lease at the skip's time (server clock), from the skips table.
    const skips: { itemId: number; labellerId: string; at: Date }[] = await db.query(
      `SELECT item_id AS "itemId", labeller_id AS "labellerId", created_at AS at FROM skips`,
    );
    const skippedAt = new Map(skips.map((skip) => [`${skip.itemId}/${skip.labellerId}`, skip.at.getTime()]));
    for (const holding of holdings.filter((held) => held.skipped)) {
      holding.to = skippedAt.get(`${holding.itemId}/${holding.labellerId}`);
    }

    // No item was ever held by two labellers at once: each lease began after the previous one ended.
    const byItem = new Map<number, Holding[]>();
    for (const holding of holdings)
      byItem.set(holding.itemId, [...(byItem.get(holding.itemId) ?? []), holding]);
    let overlaps = 0;
    for (const itemHoldings of byItem.values()) {
      itemHoldings.sort((a, b) => a.from - b.from);
      for (let i = 1; i < itemHoldings.length; i++) {
        if (itemHoldings[i]!.from < itemHoldings[i - 1]!.to!) overlaps++;
      }
    }
    expect(overlaps).toBe(0);
    expect(new Set(holdings.map((holding) => holding.leaseId)).size).toBe(holdings.length);

    // Every item has exactly the labels it needs, each from a different labeller.
    for (const [project, perItem] of [
      [single, 1],
      [triple, 3],
    ] as const) {
      const [summary] = await db.query(
        `SELECT count(*)::int AS items,
                count(*) FILTER (WHERE i.remaining_labels = 0 AND i.label_count = $2
                                   AND (SELECT count(*) FROM labels l WHERE l.item_id = i.id AND l.retracted_at IS NULL) = $2
                                   AND (SELECT count(DISTINCT l.labeller_id) FROM labels l WHERE l.item_id = i.id) = $2
                                )::int AS exact
           FROM items i WHERE i.project_id = $1`,
        [project.id, perItem],
      );
      expect(summary).toEqual({ items: project.itemIds.length, exact: project.itemIds.length });
    }
    const [{ labels, events, leases }] = await db.query(
      `SELECT (SELECT count(*)::int FROM labels) AS labels,
              (SELECT count(*)::int FROM outbox WHERE event_type = 'label.submitted.v1') AS events,
              (SELECT count(*)::int FROM leases) AS leases`,
    );
    expect(labels).toBe(single.itemIds.length + triple.itemIds.length * 3);
    expect(labelCount).toBe(labels);
    expect(events).toBe(labels);
    expect(leases).toBe(0);
  }, 300_000);
});
