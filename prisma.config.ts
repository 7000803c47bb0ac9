import { defineConfig } from 'prisma/config';

// The URL is only needed by CLI commands that talk to a database (`prisma migrate deploy`);
// generating the client works without one.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/microshop' },
});
