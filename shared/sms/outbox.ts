import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { devSms } from '../db/schema';
import { newId } from '../ids';
import { type SentSms, type SmsMessage, type SmsProvider, SmsSendFailed } from './provider';

/**
 * Development and tests without Eskiz credentials: "sending" stores the text
 * in `dev_sms`. Like the email outbox it stores one row per delivery id (one
 * statement), so a retried delivery is not stored twice.
 */
export function outboxSmsProvider(db: Database): SmsProvider {
  return {
    kind: 'outbox',
    async send(message: SmsMessage): Promise<SentSms> {
      // What Eskiz refuses, the outbox refuses too, so development meets the same failure.
      if (!/^\+[1-9]\d{7,14}$/.test(message.to)) throw new SmsSendFailed(`not a phone number: ${message.to}`, false, 400);
      if (!message.text) throw new SmsSendFailed('empty message', false, 400);
      const result = await db.execute<{ id: string }>(sql`
        with stored as (
          insert into ${devSms} (id, delivery_id, to_phone, text)
          values (${newId()}, ${message.idempotencyKey}, ${message.to}, ${message.text})
          on conflict (delivery_id) do nothing
          returning id
        )
        select id from stored
        union all
        select id from ${devSms} where delivery_id = ${message.idempotencyKey}
        limit 1`);
      const id = result.rows[0]?.id;
      if (!id) throw new Error(`dev SMS for delivery ${message.idempotencyKey} neither stored nor found`);
      return { id: `outbox:${id}` };
    },
  };
}
