import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dataSourceOptions, postgresHealthCheck } from '@foreman/database';
import { EventBus, MessagingModule, messagingOptions } from '@foreman/messaging';
import { HealthModule, MetricsModule, serviceLoggerModule } from '@foreman/observability';
import { TRAINER_CONFIG, type TrainerConfig } from './config/env';
import { RetrainingModule } from './retraining/retraining.module';

/** Makes the validated settings injectable everywhere. */
@Module({})
class TrainerConfigModule {}

@Module({})
export class AppModule {
  static forRoot(config: TrainerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        serviceLoggerModule({ service: 'trainer', level: config.LOG_LEVEL }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: config.DATABASE_URL, poolSize: 5, applicationName: 'foreman-trainer' }),
          retryAttempts: 0,
        }),
        MessagingModule.forRoot(messagingOptions(config, 'foreman-trainer')),
        MetricsModule,
        HealthModule.forChecks({
          inject: [getDataSourceToken(), EventBus],
          useFactory: (dataSource: DataSource, events: EventBus) => [
            postgresHealthCheck(dataSource),
            events.healthCheck(),
          ],
        }),
        {
          module: TrainerConfigModule,
          global: true,
          providers: [{ provide: TRAINER_CONFIG, useValue: config }],
          exports: [TRAINER_CONFIG],
        },
        RetrainingModule,
      ],
    };
  }
}
