import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../shared/context';
import { devEmails } from '../../shared/db/schema';
import { decodeCursor, paginate } from '../../shared/pagination';
import type { OutboxEmail, OutboxQuery } from './schemas';

/** The local outbox, newest first; optionally only one recipient's mail. */
export async function listOutbox(deps: Deps, query: OutboxQuery): Promise<{ data: OutboxEmail[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const rows = await deps.db
    .select()
    .from(devEmails)
    .where(and(query.to ? eq(devEmails.toAddress, query.to) : undefined, after ? lt(devEmails.id, after.id) : undefined))
    .orderBy(desc(devEmails.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (e) => ({ id: e.id }));
  return {
    data: page.data.map((e) => ({
      id: e.id,
      deliveryId: e.deliveryId,
      from: e.fromAddress,
      to: e.toAddress,
      subject: e.subject,
      text: e.text,
      html: e.html,
      createdAt: e.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
