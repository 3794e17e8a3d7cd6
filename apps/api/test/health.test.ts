import request from 'supertest';
import { startTestApi, type TestApi } from './test-app';

describe('GET /health and /metrics', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('reports PostgreSQL and RabbitMQ up', async () => {
    const response = await request(api.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'up' }, rabbitmq: { status: 'up' } },
    });
  });

  it('echoes the caller’s correlation id', async () => {
    const response = await request(api.app.getHttpServer())
      .get('/health')
      .set('x-correlation-id', 'trace-42');
    expect(response.headers['x-correlation-id']).toBe('trace-42');
  });

  it('names no framework, forbids content sniffing and caching, on answers and errors alike', async () => {
    for (const path of ['/health', '/nowhere']) {
      const response = await request(api.app.getHttpServer()).get(path);
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves Prometheus metrics', async () => {
    const response = await request(api.app.getHttpServer()).get('/metrics').expect(200);
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });

  it('answers unknown routes in the one error shape', async () => {
    const response = await request(api.app.getHttpServer()).get('/nowhere').expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /nowhere' });
  });
});
