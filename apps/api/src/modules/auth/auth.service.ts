import {
  BadRequestException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { ChangePasswordRequest, SignInRequest, User } from '@foreman/contracts';
import { API_CONFIG, type ApiConfig } from '../../config/env';
import { PasswordHasher } from '../users/password-hasher';
import { UsersRepository } from '../users/users.repository';
import { toUser } from '../users/users.service';
import { accountDeactivated } from './account-deactivated';
import { AuthRepository } from './auth.repository';
import type { AuthenticatedUser } from './authenticated-user';
import { hashSecretToken, newSecretToken } from './secret-token';

export interface SignedIn {
  user: User;
  /** The session token for the cookie; the database keeps only its hash. */
  token: string;
  expiresAt: Date;
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly auth: AuthRepository,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  /**
   * An unknown email and a wrong password get the same answer after the same argon2 work, so neither
   * the message nor the time tells whether an account exists. Whether an account is deactivated is
   * only said to someone who knows its password.
   */
  async signIn({ email, password }: SignInRequest): Promise<SignedIn> {
    const account = await this.users.findCredentials(email);
    const matches = await this.passwords.verify(account?.passwordHash ?? null, password);
    if (!account || !matches) throw new UnauthorizedException('wrong email or password');
    if (!account.active) throw accountDeactivated(HttpStatus.FORBIDDEN);
    const token = newSecretToken();
    const expiresAt = await this.auth.createSession(
      account.id,
      hashSecretToken(token),
      this.config.SESSION_TTL_HOURS,
    );
    const { passwordHash: _hash, ...user } = account;
    return { user: toUser(user), token, expiresAt };
  }

  /** Ends the session behind this cookie value, if any; signing out twice is not an error. */
  async signOut(sessionToken: string | undefined): Promise<void> {
    if (sessionToken) await this.auth.revokeSession(hashSecretToken(sessionToken));
  }

  /** Needs the current password; every other session of the user ends, the caller's own stays. */
  async changePassword(caller: AuthenticatedUser, request: ChangePasswordRequest): Promise<void> {
    const account = await this.users.findCredentials(caller.email);
    if (!account || !(await this.passwords.verify(account.passwordHash, request.currentPassword))) {
      const issue = { field: 'currentPassword', message: 'this is not your current password' };
      throw new BadRequestException({ message: `${issue.field}: ${issue.message}`, details: [issue] });
    }
    await this.users.update(
      account.id,
      { passwordHash: await this.passwords.hash(request.newPassword) },
      { keepSessionId: caller.sessionId },
    );
  }

  async me(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('your account no longer exists');
    return toUser(user);
  }
}
