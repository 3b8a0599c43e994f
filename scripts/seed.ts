/** `npm run db:seed`: inserts the demo accounts into DATABASE_URL (local databases only). */
import { seedDemoData } from './stack/seed';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set.');
  process.exit(1);
}
const { created } = await seedDemoData(url);
console.log(`demo data seeded (${created} new rows)`);
