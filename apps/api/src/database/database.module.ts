import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@foreman/database';
import { API_CONFIG, type ApiConfig } from '../config/env';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => ({
        ...dataSourceOptions({ url: config.DATABASE_URL, poolSize: 20, applicationName: 'foreman-api' }),
        // Fail fast at start (main.ts already reached the database); reconnects are the pool's job.
        retryAttempts: 0,
      }),
    }),
  ],
})
export class DatabaseModule {}
