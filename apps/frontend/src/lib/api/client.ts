import type {
  ApiToken,
  ChangePasswordRequest,
  ClearSkipsResponse,
  CreateApiTokenRequest,
  CreateProjectRequest,
  CreateUserRequest,
  CreatedApiToken,
  ImportReport,
  ModelVersion,
  NextItemResponse,
  ProgressResponse,
  Project,
  RetractLabelResponse,
  SkipItemResponse,
  SubmitLabelRequest,
  SubmitLabelResponse,
  UndoRequest,
  UpdateProjectRequest,
  UpdateUserRequest,
  User,
} from '@foreman/contracts';
import { ApiRequestError } from './errors';

export interface ClientOptions {
  /** '/api' in the browser (the Next proxy); the API's own URL on the server. */
  baseUrl: string;
  headers?: Record<string, string>;
}

/** The typed API client, one method per endpoint of the REST contract. */
export function createApiClient({ baseUrl, headers = {} }: ClientOptions) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiRequestError(0, null);
    }
    if (!response.ok) {
      const errorBody = await response.json().catch(() => null);
      throw new ApiRequestError(response.status, errorBody);
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  const project = (id: string) => `/projects/${encodeURIComponent(id)}`;

  return {
    signIn: (email: string, password: string) => call<{ user: User }>('POST', '/auth/sign-in', { email, password }),
    signOut: () => call<void>('POST', '/auth/sign-out'),
    me: () => call<{ user: User }>('GET', '/auth/me'),
    changePassword: (request: ChangePasswordRequest) => call<void>('POST', '/auth/password', request),

    listUsers: () => call<User[]>('GET', '/users'),
    createUser: (request: CreateUserRequest) => call<User>('POST', '/users', request),
    updateUser: (id: string, request: UpdateUserRequest) => call<User>('PATCH', `/users/${id}`, request),

    listTokens: () => call<ApiToken[]>('GET', '/api-tokens'),
    createToken: (request: CreateApiTokenRequest) => call<CreatedApiToken>('POST', '/api-tokens', request),
    revokeToken: (id: string) => call<void>('DELETE', `/api-tokens/${id}`),

    listProjects: () => call<Project[]>('GET', '/projects'),
    getProject: (id: string) => call<Project>('GET', project(id)),
    createProject: (request: CreateProjectRequest) => call<Project>('POST', '/projects', request),
    updateProject: (id: string, request: UpdateProjectRequest) => call<Project>('PATCH', project(id), request),
    deleteProject: (id: string) => call<void>('DELETE', project(id)),
    listMembers: (id: string) => call<User[]>('GET', `${project(id)}/members`),
    addMember: (id: string, userId: string) => call<unknown>('PUT', `${project(id)}/members/${userId}`),
    removeMember: (id: string, userId: string) => call<unknown>('DELETE', `${project(id)}/members/${userId}`),

    next: (id: string) => call<NextItemResponse>('POST', `${project(id)}/next`),
    submitLabel: (itemId: number, request: SubmitLabelRequest) =>
      call<SubmitLabelResponse>('POST', `/items/${itemId}/labels`, request),
    skip: (itemId: number) => call<SkipItemResponse>('POST', `/items/${itemId}/skip`),
    undo: (id: string, request: UndoRequest) => call<RetractLabelResponse>('POST', `${project(id)}/undo`, request),
    clearSkips: (id: string) => call<ClearSkipsResponse>('POST', `${project(id)}/skips/clear`),
    /** POST it (204) to give up the lease on an item; the labelling page sends it as a beacon when it is left. */
    releaseUrl: (itemId: number) => `${baseUrl}/items/${itemId}/release`,

    progress: (id: string) => call<ProgressResponse>('GET', `${project(id)}/progress`),
    models: (id: string) => call<ModelVersion[]>('GET', `${project(id)}/models`),
    exportUrl: (id: string, format: 'csv' | 'json' | 'ndjson') => `${baseUrl}${project(id)}/export?format=${format}`,
    importUrl: (id: string) => `${baseUrl}${project(id)}/items`,
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The client the browser uses: every call goes through the Next server's /api proxy. */
export const browserApi = createApiClient({ baseUrl: '/api' });

export type { ImportReport };
