import request from 'supertest';
import { startTestApi, type TestApi } from './test-app';

describe('OpenAPI at /docs', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('serves the interactive docs without signing in', async () => {
    const response = await request(api.app.getHttpServer()).get('/docs').expect(200);
    expect(response.text).toContain('swagger-ui');
    const script = /src="\.?\/?(?:docs\/)?([^"]*swagger-ui-bundle\.js)"/.exec(response.text);
    expect(script).not.toBeNull();
    await request(api.app.getHttpServer()).get(`/docs/${script![1]}`).expect(200);
  });

  it('describes bodies from the contracts schemas the routes validate with', async () => {
    const { body: document } = await request(api.app.getHttpServer()).get('/docs-json').expect(200);
    const json = 'application/json';

    const signIn = document.paths['/auth/sign-in'].post;
    expect(signIn.requestBody.content[json].schema).toMatchObject({
      type: 'object',
      required: ['email', 'password'],
      properties: { email: { type: 'string', format: 'email' }, password: { type: 'string' } },
    });
    expect(signIn.security).toEqual([]); // public: no credentials needed
    expect(document.paths['/auth/me'].get.security).toBeUndefined(); // the global requirement applies
    const refused = document.paths['/auth/me'].get.responses['401'].content[json].schema;
    expect(refused.properties.reason.enum).toContain('account-deactivated');
    expect(Object.keys(signIn.responses).sort()).toEqual(['200', '400', '401', '403', '429']);
    expect(signIn.responses['429'].content[json].schema.required).toEqual(['statusCode', 'error', 'message']);

    const createProject = document.paths['/projects'].post.requestBody.content[json].schema;
    expect(createProject.properties.classes).toMatchObject({ type: 'array', minItems: 2 });
    expect(createProject.properties.labelsPerItem).toMatchObject({ type: 'integer', default: 1 });
    expect(createProject.required).toEqual(['name', 'classes']);

    const submit = document.paths['/items/{itemId}/labels'].post;
    expect(submit.requestBody.content[json].schema.required).toEqual(['value', 'clientRequestId']);
    expect(Object.keys(submit.responses).sort()).toEqual(['200', '201', '400', '401', '404', '409']);
    expect(submit.responses['409'].content[json].schema.properties.reason.enum).toContain('already-labelled');
    const undo = document.paths['/projects/{projectId}/undo'].post;
    expect(Object.keys(undo.requestBody.content[json].schema.properties)).toEqual(['clientRequestId']);

    expect(document.paths['/projects/{projectId}/members/{userId}'].put).toBeDefined();
    const clearSkips = document.paths['/projects/{projectId}/skips/clear'].post;
    expect(clearSkips.responses['200'].content[json].schema.required).toEqual(['cleared', 'next']);
    const next = document.paths['/projects/{projectId}/next'].post.responses['200'].content[json].schema;
    expect(JSON.stringify(next)).toContain('heldByOthers');
    expect(document.paths['/api-tokens'].post.responses['201'].content[json].schema.required).toContain(
      'token',
    );
    expect(document.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'foreman_session' },
      'api-token': { type: 'http', scheme: 'bearer' },
    });
  });

  it('names the project in every path by one parameter, projectId, which each operation declares', async () => {
    const { body: document } = await request(api.app.getHttpServer()).get('/docs-json').expect(200);
    const paths = Object.keys(document.paths as Record<string, unknown>);
    const projectParams = paths.flatMap((path) =>
      [...path.matchAll(/\/projects\/\{(\w+)\}/g)].map((match) => `${path}: ${match[1]}`),
    );
    expect(projectParams.length).toBeGreaterThan(5);
    expect(projectParams.filter((named) => !named.endsWith(': projectId'))).toEqual([]);

    // A script filling in the path from /docs finds each {name} among the operation's parameters.
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>,
    )) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      for (const [method, operation] of Object.entries(operations)) {
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect({ operation: `${method} ${path}`, params: declared.sort() }).toEqual({
          operation: `${method} ${path}`,
          params: inPath,
        });
      }
    }
  });
});
