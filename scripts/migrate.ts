/** `npm run db:migrate`: applies pending migrations to DATABASE_URL. */
import { migrateDatabase } from './stack/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set (e.g. postgres://user:pass@host/db). For the embedded database, run `npm run dev`.');
  process.exit(1);
}
await migrateDatabase(url);
console.log('migrations applied');
