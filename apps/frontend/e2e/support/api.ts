import { randomUUID } from 'node:crypto';
import { expect, request, type APIRequestContext } from '@playwright/test';
import type {
  CreateProjectRequest,
  NextItemResponse,
  ProgressResponse,
  Project,
  UpdateProjectRequest,
  User,
} from '@foreman/contracts';
import { baseUrl } from './pages';
import { ADMIN } from './system';

/**
 * Sets the scene through the site's /api as the admin, in a few requests instead of clicking through
 * the forms that labelling.spec.ts already covers: accounts, projects, members and items.
 */
export class AdminApi {
  private constructor(private readonly http: APIRequestContext) {}

  static async signIn(): Promise<AdminApi> {
    const http = await request.newContext({ baseURL: baseUrl() });
    await ok(http.post('/api/auth/sign-in', { data: { email: ADMIN.email, password: ADMIN.password } }));
    return new AdminApi(http);
  }

  /** A new labeller with a unique email; the password is theirs to sign in with. */
  async labeller(name: string): Promise<User & { password: string }> {
    const slug = name.toLowerCase().replace(/\W+/g, '-');
    const password = `${slug}-password-1`;
    const email = `${slug}-${randomUUID().slice(0, 8)}@e2e.test`;
    const user = (await ok(
      this.http.post('/api/users', { data: { email, displayName: name, role: 'labeller', password } }),
    )) as User;
    return { ...user, password };
  }

  /** A project with the given items (payloads of its input kind), labellers already on it. */
  async project(
    settings: Partial<CreateProjectRequest>,
    items: Record<string, unknown>[],
    members: User[] = [],
  ): Promise<Project> {
    const project = (await ok(
      this.http.post('/api/projects', {
        data: {
          name: `Project ${randomUUID().slice(0, 6)}`,
          classes: ['cat', 'dog'],
          shape: [1, 2],
          ...settings,
        },
      }),
    )) as Project;
    for (const member of members) await this.addMember(project.id, member.id);
    if (items.length > 0) {
      await ok(this.http.post(`/api/projects/${project.id}/items`, { data: items }));
    }
    return project;
  }

  async deactivate(userId: string): Promise<void> {
    await ok(this.http.patch(`/api/users/${userId}`, { data: { active: false } }));
  }

  async addMember(projectId: string, userId: string): Promise<void> {
    await ok(this.http.put(`/api/projects/${projectId}/members/${userId}`));
  }

  async removeMember(projectId: string, userId: string): Promise<void> {
    await ok(this.http.delete(`/api/projects/${projectId}/members/${userId}`));
  }

  /** The admin's own next item in the project (its lease holds the item from everyone else); its external id. */
  async takeNext(projectId: string): Promise<string | null> {
    const answer = await this.next(projectId);
    return answer.status === 'item' ? answer.item.externalId : null;
  }

  /** The admin labels their next item in the project with `value` (a class, or classes if multi-label). */
  async labelNext(projectId: string, value: string | string[]): Promise<void> {
    const answer = await this.next(projectId);
    if (answer.status !== 'item') throw new Error(`no item left to label in project ${projectId}`);
    await ok(
      this.http.post(`/api/items/${answer.item.id}/labels`, {
        data: { value, leaseId: answer.lease.id, clientRequestId: randomUUID() },
      }),
    );
  }

  private async next(projectId: string): Promise<NextItemResponse> {
    return (await ok(this.http.post(`/api/projects/${projectId}/next`))) as NextItemResponse;
  }

  /** Waits until the trainer has trained a model version of the project. */
  async waitForModel(projectId: string): Promise<void> {
    await expect
      .poll(
        async () => ((await ok(this.http.get(`/api/projects/${projectId}/models`))) as unknown[]).length,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
  }

  /** How many of the project's items someone holds a live lease on now. */
  async leased(projectId: string): Promise<number> {
    const progress = (await ok(this.http.get(`/api/projects/${projectId}/progress`))) as ProgressResponse;
    return progress.leased;
  }

  /** Changes the project's settings as the settings page would, e.g. while a labeller has it open. */
  async update(projectId: string, changes: UpdateProjectRequest): Promise<void> {
    await ok(this.http.patch(`/api/projects/${projectId}`, { data: changes }));
  }

  async archive(projectId: string): Promise<void> {
    await this.update(projectId, { archived: true });
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }
}

async function ok(pending: ReturnType<APIRequestContext['get']>): Promise<unknown> {
  const response = await pending;
  expect(response.ok(), `${response.url()}: ${response.status()} ${await response.text()}`).toBe(true);
  return response.status() === 204 ? null : response.json();
}
