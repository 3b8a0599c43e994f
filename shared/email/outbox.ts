import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { devEmails } from '../db/schema';
import { newId } from '../ids';
import type { EmailMessage, EmailProvider, SentEmail } from './provider';

/**
 * Development and tests: "sending" stores the rendered email in `dev_emails`,
 * listed by GET /api/v1/dev/outbox. Like a real provider it honours the
 * idempotency key: the same delivery is stored once (one statement).
 */
export function outboxEmailProvider(db: Database): EmailProvider {
  return {
    kind: 'outbox',
    async send(message: EmailMessage): Promise<SentEmail> {
      const id = newId();
      const result = await db.execute<{ id: string }>(sql`
        with stored as (
          insert into ${devEmails} (id, delivery_id, from_address, to_address, subject, text, html)
          select ${id}, ${message.idempotencyKey}, ${message.from}, ${message.to}, ${message.subject}, ${message.text}, ${message.html}
          where not exists (select 1 from ${devEmails} where delivery_id = ${message.idempotencyKey})
          returning id
        )
        select id from stored
        union all
        select id from ${devEmails} where delivery_id = ${message.idempotencyKey}
        limit 1`);
      return { id: `outbox:${result.rows[0]?.id ?? id}` };
    },
  };
}
