import type { DataSource } from 'typeorm';

/** For `HealthModule.forChecks`: up while PostgreSQL answers a query. */
export function postgresHealthCheck(dataSource: DataSource) {
  return { name: 'postgres', check: async () => void (await dataSource.query('SELECT 1')) };
}
