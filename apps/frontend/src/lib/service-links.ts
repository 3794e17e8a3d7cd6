import { headers } from 'next/headers';
import { env } from '@/env';

export interface ServiceLinks {
  rabbitmq: string;
  adminer: string;
}

/** RabbitMQ management and adminer: from the settings, else the standard ports on the host serving this site. */
export async function serviceLinks(): Promise<ServiceLinks> {
  const host = (await headers()).get('host') ?? 'localhost';
  const hostname = new URL(`http://${host}`).hostname;
  const base = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}`;
  return {
    rabbitmq: env().RABBITMQ_MANAGEMENT_URL ?? `${base}:15672`,
    adminer: env().ADMINER_URL ?? `${base}:8080`,
  };
}
