import {
  Controller,
  Get,
  Inject,
  Module,
  Res,
  SetMetadata,
  type DynamicModule,
  type InjectionToken,
} from '@nestjs/common';
import type { HealthResponse } from '@foreman/contracts';

export interface HealthCheck {
  name: string;
  /** Resolves when the dependency answers; rejects with what is wrong. */
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Metadata that marks a route as open to anonymous callers; the API's auth guard honours it. Probes and
 * scrapers (/health, /metrics) carry no credentials.
 */
export const PUBLIC_ROUTE = 'foreman:public';

@SetMetadata(PUBLIC_ROUTE, true)
@Controller('health')
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  /** 200 when every dependency answers, 503 naming the ones that do not. */
  @Get()
  async health(@Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<HealthResponse> {
    const results = await Promise.all(
      this.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, { status: 'up' as const }] as const;
        } catch (error) {
          return [name, { status: 'down' as const, detail: (error as Error).message }] as const;
        }
      }),
    );
    const healthy = results.every(([, result]) => result.status === 'up');
    res.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'degraded', checks: Object.fromEntries(results) };
  }
}

@Module({})
export class HealthModule {
  /** `checks` is a provider that builds the service's list of HealthCheck from its own dependencies. */
  static forChecks(checks: {
    inject: InjectionToken[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest factories take whatever `inject` lists
    useFactory: (...deps: any[]) => HealthCheck[];
  }): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_CHECKS, inject: checks.inject, useFactory: checks.useFactory }],
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
