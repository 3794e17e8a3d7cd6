import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../../config/env';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no user has that email. An existing
 * account is never changed, so restarting with the settings still in place cannot reset a password
 * that was changed since. In production the API refuses to start with no way for anyone to sign in.
 */
@Injectable()
export class FirstAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminService.name);

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (email && password) {
      if (await this.users.findByEmail(email)) return;
      const created = await this.users.create({
        email: email.toLowerCase(),
        displayName: 'Admin',
        role: 'admin',
        passwordHash: await this.passwords.hash(password),
      });
      if (created) this.logger.log(`created the first admin, ${created.email}`);
      return;
    }
    if (await this.users.hasActiveAdmin()) return;
    if (this.config.NODE_ENV === 'production') {
      throw new Error(
        'there is no admin account: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first one',
      );
    }
    this.logger.warn('there is no admin account yet: set ADMIN_EMAIL and ADMIN_PASSWORD to create one');
  }
}
