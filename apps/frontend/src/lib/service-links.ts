import { headers } from 'next/headers';
import { env } from '@/env';

/** Null: there is none to link to. */
export interface ServiceLinks {
  rabbitmq: string | null;
  adminer: string | null;
}

/**
 * RabbitMQ management and adminer: from the settings (empty: none), else the standard ports on the host
 * serving this site.
 */
export async function serviceLinks(): Promise<ServiceLinks> {
  const host = (await headers()).get('host') ?? 'localhost';
  const hostname = new URL(`http://${host}`).hostname;
  const base = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}`;
  const link = (setting: string | undefined, port: number) =>
    setting === undefined ? `${base}:${port}` : setting || null;
  return {
    rabbitmq: link(env().RABBITMQ_MANAGEMENT_URL, 15672),
    adminer: link(env().ADMINER_URL, 8080),
  };
}
