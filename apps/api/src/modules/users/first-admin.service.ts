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
    if (email && password && !(await this.users.findByEmail(email))) {
      const created = await this.users.create({
        email: email.toLowerCase(),
        displayName: 'Admin',
        role: 'admin',
        passwordHash: await this.passwords.hash(password),
      });
      if (created) this.logger.log(`created the first admin, ${created.email}`);
    }
    if (await this.users.hasActiveAdmin()) return;
    // Also when ADMIN_EMAIL names an account that is deactivated or a labeller: it is left as it is.
    const problem =
      'there is no active admin account: set ADMIN_EMAIL (an email no account uses yet) and ADMIN_PASSWORD to create one';
    if (this.config.NODE_ENV === 'production') throw new Error(problem);
    this.logger.warn(problem);
  }
}
