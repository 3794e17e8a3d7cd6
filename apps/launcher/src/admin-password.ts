import { verify } from '@node-rs/argon2';
import { Client } from 'pg';

/**
 * Whether the admin still signs in with `password`, the one the launcher generated or was given: they may
 * have changed it on the site since, and printing the old one would send them to a wrong password.
 */
export async function adminSignsInWith(
  databaseUrl: string,
  email: string,
  password: string,
): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ hash: string }>(
      `SELECT password_hash AS hash FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0] ? await verify(rows[0].hash, password) : true;
  } finally {
    await client.end();
  }
}
