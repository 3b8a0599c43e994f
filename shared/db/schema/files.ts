import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { products } from './catalog';
import { users } from './users';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const fileVisibility = pgEnum('file_visibility', ['public', 'private']);

/**
 * Uploaded files. The bytes live in R2 under a content-addressed key
 * (`objects/<sha256>`), so identical uploads share one object; the object is
 * deleted only when no live file row points at it.
 */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    objectKey: text('object_key').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    visibility: fileVisibility('visibility').notNull().default('private'),
    createdAt: ts('created_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    index('files_owner_idx').on(t.ownerId, t.id).where(sql`${t.deletedAt} is null`),
    index('files_object_idx').on(t.objectKey).where(sql`${t.deletedAt} is null`),
  ],
);

/** A product's images, in display order. */
export const productImages = pgTable(
  'product_images',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => files.id),
    position: integer('position').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.fileId] }), index('product_images_file_idx').on(t.fileId)],
);
