import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, postgresHealthCheck } from '@foreman/database';
import { EventBus, MessagingModule, messagingOptions } from '@foreman/messaging';
import { HealthModule, MetricsModule, serviceLoggerModule } from '@foreman/observability';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './config/env';
import { LeasesModule } from './leases/leases.module';
import { RankingModule } from './ranking/ranking.module';

@Module({})
export class AppModule {
  static forRoot(config: SchedulerConfig): DynamicModule {
    return {
      module: AppModule,
      // Global, so feature modules can inject SCHEDULER_CONFIG.
      global: true,
      imports: [
        serviceLoggerModule({ service: 'scheduler', level: config.LOG_LEVEL }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: config.DATABASE_URL,
            poolSize: 5,
            applicationName: 'foreman-scheduler',
          }),
          retryAttempts: 0,
        }),
        MessagingModule.forRoot(messagingOptions(config, 'foreman-scheduler')),
        MetricsModule,
        HealthModule.forChecks({
          inject: [getDataSourceToken(), EventBus],
          useFactory: (dataSource: DataSource, events: EventBus) => [
            postgresHealthCheck(dataSource),
            events.healthCheck(),
          ],
        }),
        RankingModule,
        LeasesModule,
      ],
      providers: [{ provide: SCHEDULER_CONFIG, useValue: config }],
      exports: [SCHEDULER_CONFIG],
    };
  }
}
