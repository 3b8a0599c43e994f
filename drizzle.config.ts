import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations from the schema; `npm run db:migrate` applies them.
export default defineConfig({
  dialect: 'postgresql',
  schema: './shared/db/schema/index.ts',
  out: './migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ultramarket' },
  strict: true,
  verbose: true,
});
