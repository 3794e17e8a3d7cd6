import { prepareTemplateDatabase } from '@foreman/database/testing';

export default async function globalSetup(): Promise<void> {
  await prepareTemplateDatabase();
}
