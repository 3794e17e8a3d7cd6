import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id password hashes with the library's defaults (19 MiB, 2 passes, 1 lane: the OWASP minimum),
 * computed off the event loop by the native library.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** Checked when the email is unknown, so an unknown account costs as much time as a wrong password. */
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(password);
  }

  /** Whether the password matches; `null` (no such account) does the same work and answers false. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    try {
      const matches = await verify(passwordHash ?? this.dummyHash, password);
      return matches && passwordHash !== null;
    } catch {
      // A stored value that is not an argon2 hash (an account without a password) never matches.
      return false;
    }
  }
}
