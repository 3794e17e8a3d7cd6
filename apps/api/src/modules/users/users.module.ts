import { Module } from '@nestjs/common';
import { FirstAdminService } from './first-admin.service';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Accounts (admin only), password hashing, and the first admin on start. */
@Module({
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PasswordHasher, FirstAdminService],
  exports: [UsersRepository, PasswordHasher],
})
export class UsersModule {}
