import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';

/** Authentication for every route (see AuthGuard). Sign-in, sessions and tokens build on it. */
@Global()
@Module({
  providers: [AuthRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthRepository],
})
export class AuthModule {}
