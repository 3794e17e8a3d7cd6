import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { exportRowSchema, type ExportRow } from '@foreman/contracts';
import { applyRanking, createProjectWithItems, createUserWithSession, type TestUser } from './fixtures';
import { insertLabel } from './label-sql';
import { startTestApi, type TestApi } from './test-app';

describe('GET /projects/:id/export', () => {
  let api: TestApi;
  let admin: TestUser;
  let projectId: string;
  let expected: ExportRow[];

  beforeAll(async () => {
    api = await startTestApi();
    const db = api.app.get(DataSource);
    admin = await createUserWithSession(api, { role: 'admin' });
    const project = await createProjectWithItems(api, { items: 3, labelsPerItem: 2 });
    projectId = project.id;
    // Names that need CSV quoting.
    const ann = await createUserWithSession(api, { displayName: 'Doe, "Ann"', projectIds: [projectId] });
    const ben = await createUserWithSession(api, { displayName: 'Ben\nLine', projectIds: [projectId] });
    const [item1, item2, item3] = project.itemIds as [number, number, number];
    await insertLabel(db, {
      projectId,
      itemId: item1,
      labellerId: ann.id,
      value: ['cat'],
      at: '2026-01-01T10:00:00Z',
    });
    await insertLabel(db, {
      projectId,
      itemId: item1,
      labellerId: ben.id,
      value: ['dog'],
      at: '2026-01-01T10:01:00Z',
    });
    await insertLabel(db, {
      projectId,
      itemId: item2,
      labellerId: ann.id,
      value: ['bird'],
      at: '2026-01-01T10:02:00Z',
    });
    await insertLabel(db, {
      projectId,
      itemId: item2,
      labellerId: ben.id,
      value: ['cat'],
      at: '2026-01-01T10:03:00Z',
      retracted: true,
    });
    await applyRanking(api, projectId, {
      modelVersion: 4,
      strategy: 'entropy',
      ranked: [{ itemId: item3, score: 0.2, predictedClass: 'dog', predictedProbability: 0.875 }],
    });
    const external = (n: number) => `item-${n}`;
    expected = [
      {
        itemId: item1,
        externalId: external(1),
        payload: { vector: [1, 1] },
        labels: [
          {
            value: ['cat'],
            labellerId: ann.id,
            labeller: 'Doe, "Ann"',
            createdAt: '2026-01-01T10:00:00.000Z',
          },
          {
            value: ['dog'],
            labellerId: ben.id,
            labeller: 'Ben\nLine',
            createdAt: '2026-01-01T10:01:00.000Z',
          },
        ],
        majority: null,
        agreement: 0.5,
        prediction: null,
      },
      {
        itemId: item2,
        externalId: external(2),
        payload: { vector: [2, 2] },
        labels: [
          {
            value: ['bird'],
            labellerId: ann.id,
            labeller: 'Doe, "Ann"',
            createdAt: '2026-01-01T10:02:00.000Z',
          },
        ],
        majority: ['bird'],
        agreement: null,
        prediction: null,
      },
      {
        itemId: item3,
        externalId: external(3),
        payload: { vector: [3, 3] },
        labels: [],
        majority: null,
        agreement: null,
        prediction: { className: 'dog', probability: 0.875, modelVersion: 4 },
      },
    ];
  });

  afterAll(async () => {
    await api?.close();
  });

  const get = (format: string, cookie = admin.cookie) =>
    request(api.app.getHttpServer())
      .get(`/projects/${projectId}/export?format=${format}`)
      .set('Cookie', cookie)
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      });

  it('streams a JSON array that round-trips every live label', async () => {
    const response = await get('json')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    const rows = JSON.parse(response.body as string) as unknown[];
    expect(rows.map((row) => exportRowSchema.parse(row))).toEqual(expected);
  });

  it('streams NDJSON, one item per line', async () => {
    const response = await get('ndjson')
      .expect(200)
      .expect('Content-Type', /application\/x-ndjson/);
    const lines = (response.body as string).trimEnd().split('\n');
    expect(lines.map((line) => exportRowSchema.parse(JSON.parse(line)))).toEqual(expected);
  });

  it('streams CSV with the documented header', async () => {
    const response = await get('csv')
      .expect(200)
      .expect('Content-Type', /text\/csv/)
      .expect('Content-Disposition', /attachment; filename=".*-labels\.csv"/);
    const records = parse(response.body as string, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([
      'item_id',
      'external_id',
      'payload',
      'majority',
      'agreement',
      'label_count',
      'labels',
      'predicted_class',
      'predicted_probability',
      'model_version',
    ]);
    const rows: ExportRow[] = records.map((record) => ({
      itemId: Number(record.item_id),
      externalId: record.external_id!,
      payload: { vector: JSON.parse(record.payload!) as number[] },
      labels: JSON.parse(record.labels!) as ExportRow['labels'],
      majority: record.majority ? record.majority.split('|') : null,
      agreement: record.agreement ? Number(record.agreement) : null,
      prediction: record.predicted_class
        ? {
            className: record.predicted_class,
            probability: Number(record.predicted_probability),
            modelVersion: Number(record.model_version),
          }
        : null,
    }));
    expect(rows).toEqual(expected);
    expect(records.map((record) => Number(record.label_count))).toEqual([2, 1, 0]);
  });

  it('exports CSV by default and an empty project as a header or []', async () => {
    const empty = await createProjectWithItems(api, { items: 0 });
    const server = api.app.getHttpServer();
    const csv = await request(server)
      .get(`/projects/${empty.id}/export`)
      .set('Cookie', admin.cookie)
      .expect(200);
    expect(csv.text).toBe(
      'item_id,external_id,payload,majority,agreement,label_count,labels,predicted_class,predicted_probability,model_version\r\n',
    );
    const json = await request(server)
      .get(`/projects/${empty.id}/export?format=json`)
      .set('Cookie', admin.cookie);
    expect(json.body).toEqual([]);
  });

  it('gives its database connection back when the client goes away half-way', async () => {
    const db = api.app.get(DataSource);
    const big = await createProjectWithItems(api, { items: 20_000 });
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const download = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: `/projects/${big.id}/export?format=ndjson`,
          headers: { Cookie: admin.cookie },
        },
        (response) => {
          response.once('data', () => {
            download.destroy();
            resolve();
          });
        },
      );
      download.on('error', () => undefined);
      download.on('close', resolve);
      download.once('timeout', reject);
      download.end();
    });
    // The export's connection is back (idle) or discarded. Other work (the outbox relay) borrows
    // connections now and then, so look for a moment when none is checked out.
    const pool = (db.driver as PostgresDriver).master as Pool;
    const checkedOut: number[] = [];
    for (let i = 0; i < 20; i++) {
      await sleep(50);
      checkedOut.push(pool.totalCount - pool.idleCount);
    }
    expect(Math.min(...checkedOut)).toBe(0);
    const again = await get('ndjson').expect(200);
    expect((again.body as string).trimEnd().split('\n')).toHaveLength(3);
  });

  it('is for admins, and names the formats on a bad one', async () => {
    const labeller = await createUserWithSession(api, { projectIds: [projectId] });
    await get('csv', labeller.cookie).expect(403);
    const response = await request(api.app.getHttpServer())
      .get(`/projects/${projectId}/export?format=xml`)
      .set('Cookie', admin.cookie)
      .expect(400);
    expect(response.body.message).toMatch(/csv.*json.*ndjson/);
  });
});
