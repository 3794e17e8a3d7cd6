import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ModelVersion, NextItemResponse, ProgressResponse, Project } from '@foreman/contracts';
import { REPO_ROOT } from '../config/env';

/** A signed-in session against a running API, as the site or a script would use it. */
export class ApiSession {
  private constructor(
    private readonly baseUrl: string,
    /** The session cookie; the site takes it too (it hands it on to the API). */
    readonly cookie: string,
  ) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<ApiSession> {
    const response = await fetch(`${baseUrl}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) {
      throw new Error(`sign-in as ${email} answered ${response.status}: ${await response.text()}`);
    }
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0]!)
      .find((pair) => pair.startsWith('foreman_session='));
    if (!cookie) throw new Error('sign-in set no foreman_session cookie');
    return new ApiSession(baseUrl, cookie);
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  projects = () => this.call<Project[]>('GET', '/projects');
  next = (projectId: string) => this.call<NextItemResponse>('POST', `/projects/${projectId}/next`);
  models = (projectId: string) => this.call<ModelVersion[]>('GET', `/projects/${projectId}/models`);
  progress = (projectId: string) => this.call<ProgressResponse>('GET', `/projects/${projectId}/progress`);
  label = (itemId: number, value: string, leaseId: number) =>
    this.call('POST', `/items/${itemId}/labels`, { value, leaseId, clientRequestId: `oracle-${itemId}` });
}

/**
 * The true class of every demo digit, by the demo project's external id (the 1-based row number of
 * data/demo/digits.csv.gz): a simulated labeller who is always right.
 */
export function digitsOracle(): (externalId: string) => string {
  const rows = gunzipSync(readFileSync(join(REPO_ROOT, 'data/demo/digits.csv.gz')))
    .toString('utf8')
    .trim()
    .split('\n');
  return (externalId) => {
    const row = rows[Number(externalId) - 1];
    if (row === undefined) throw new Error(`no demo row ${externalId}`);
    return row.trim().split(',').at(-1)!;
  };
}

/** Polls `probe` until it returns a value, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not happen within ${timeoutMs / 1000} s${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

type ServedItem = Extract<NextItemResponse, { status: 'item' }>;

/**
 * Labels `count` items as the queue serves them, each with its true class, starting from `first` when
 * given; returns the item ids in the order they were served.
 */
export async function labelWithOracle(
  api: ApiSession,
  projectId: string,
  trueClass: (externalId: string) => string,
  count: number,
  first?: ServedItem,
): Promise<number[]> {
  const ids: number[] = [];
  let next: NextItemResponse = first ?? (await api.next(projectId));
  while (ids.length < count) {
    if (next.status !== 'item') throw new Error(`the queue ran out after ${ids.length} items`);
    await api.label(next.item.id, trueClass(next.item.externalId), next.lease.id);
    ids.push(next.item.id);
    if (ids.length < count) next = await api.next(projectId);
  }
  return ids;
}
