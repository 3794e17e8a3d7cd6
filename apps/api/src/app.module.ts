import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { postgresHealthCheck } from '@foreman/database';
import { EventBus, MessagingModule, messagingOptions } from '@foreman/messaging';
import { HealthModule, MetricsModule, serviceLoggerModule } from '@foreman/observability';
import { CorrelationContextMiddleware } from './common/correlation-context.middleware';
import { CrossSiteRequestMiddleware } from './common/cross-site-request.middleware';
import { JsonBodyMiddleware } from './common/json-body.middleware';
import { HttpDrain } from './common/http-drain';
import { ConfigModule } from './config/config.module';
import type { ApiConfig } from './config/env';
import { DatabaseModule } from './database/database.module';
import { ApiTokensModule } from './modules/api-tokens/api-tokens.module';
import { AuthModule } from './modules/auth/auth.module';
import { LabelsModule } from './modules/labels/labels.module';
import { OutboxModule } from './modules/outbox/outbox.module';
import { ProjectAccessModule } from './modules/projects/project-access.module';
import { QueueModule } from './modules/queue/queue.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { UsersModule } from './modules/users/users.module';
import { DemoModule } from './modules/demo/demo.module';
import { ExportModule } from './modules/export/export.module';
import { ItemsModule } from './modules/items/items.module';
import { ModelsModule } from './modules/models/models.module';
import { ProgressModule } from './modules/progress/progress.module';

@Module({})
export class AppModule implements NestModule {
  /**
   * Every request runs inside its correlation id, so the events it writes carry it on to the other services;
   * a change asked for by another site is refused before its body is read; then the JSON body is read
   * (JsonBodyMiddleware says why here).
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(CorrelationContextMiddleware, CrossSiteRequestMiddleware, JsonBodyMiddleware)
      .forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }

  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      providers: [HttpDrain],
      imports: [
        ConfigModule.forRoot(config),
        serviceLoggerModule({ service: 'api', level: config.LOG_LEVEL }),
        DatabaseModule,
        MessagingModule.forRoot(messagingOptions(config, 'foreman-api')),
        MetricsModule,
        AuthModule,
        ProjectAccessModule,
        QueueModule,
        LabelsModule,
        OutboxModule,
        UsersModule,
        ApiTokensModule,
        ProjectsModule,
        ItemsModule,
        ProgressModule,
        ExportModule,
        ModelsModule,
        DemoModule,
        HealthModule.forChecks({
          inject: [getDataSourceToken(), EventBus],
          useFactory: (dataSource: DataSource, events: EventBus) => [
            postgresHealthCheck(dataSource),
            events.healthCheck(),
          ],
        }),
      ],
    };
  }
}
