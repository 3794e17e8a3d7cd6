import { dropTemplateDatabase } from '@foreman/database/testing';

export default async function globalTeardown(): Promise<void> {
  await dropTemplateDatabase();
}
