import type { ArgumentsHost } from '@nestjs/common';
import { ApiExceptionFilter } from './api-exception.filter';

/** What the filter answers for an exception, through a minimal stand-in for Express's response. */
function answer(exception: unknown) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  const filter = new ApiExceptionFilter();
  // (the logger is Nest's; silence it for the expected 5xx)
  (filter as unknown as { logger: { error(): void } }).logger = { error: () => undefined };
  filter.catch(exception, host);
  return sent;
}

describe('ApiExceptionFilter', () => {
  it.each([
    ['pool acquisition timeout', new Error('timeout exceeded when trying to connect')],
    ['database shutting down', Object.assign(new Error('terminating connection'), { code: '57P01' })],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('answers 503 with Retry-After when the database is unavailable (%s)', (_name, error) => {
    const sent = answer(error);
    expect(sent.status).toBe(503);
    expect(sent.headers['Retry-After']).toBe('1');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the database is busy or restarting; retry in a moment',
    });
  });

  it('still hides other unexpected errors behind a 500', () => {
    const sent = answer(new Error('boom: secret detail'));
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'unexpected error' });
  });
});
