-- The ledger of orders paid before it existed (docs/ledger.md): each paid seller order's sale
-- and commission (0 for them: commissions start with this release), and the money already
-- refunded on it before refunds were allocated to seller orders, as one refund entry keyed
-- `refund:migrated:<sellerOrderId>`. Later refunds continue from it. Keys are unique, so running
-- this again books nothing twice.
INSERT INTO "ledger_entries" ("id", "key", "seller_id", "currency", "amount", "kind", "order_id", "seller_order_id", "created_at")
SELECT gen_random_uuid(), 'sale:' || so."id", so."seller_id", so."currency", so."total", 'sale', so."order_id", so."id", coalesce(so."paid_at", o."paid_at")
FROM "seller_orders" so JOIN "orders" o ON o."id" = so."order_id"
WHERE coalesce(so."paid_at", o."paid_at") IS NOT NULL
ON CONFLICT ("key") DO NOTHING;--> statement-breakpoint
INSERT INTO "ledger_entries" ("id", "key", "seller_id", "currency", "amount", "kind", "order_id", "seller_order_id", "created_at")
SELECT gen_random_uuid(), 'commission:' || so."id", so."seller_id", so."currency", -so."commission", 'commission', so."order_id", so."id", coalesce(so."paid_at", o."paid_at")
FROM "seller_orders" so JOIN "orders" o ON o."id" = so."order_id"
WHERE coalesce(so."paid_at", o."paid_at") IS NOT NULL
ON CONFLICT ("key") DO NOTHING;--> statement-breakpoint
INSERT INTO "ledger_entries" ("id", "key", "seller_id", "currency", "amount", "kind", "order_id", "seller_order_id", "created_at")
SELECT gen_random_uuid(), 'refund:migrated:' || so."id", so."seller_id", so."currency", -so."refunded_amount", 'refund', so."order_id", so."id", coalesce(o."updated_at", now())
FROM "seller_orders" so JOIN "orders" o ON o."id" = so."order_id"
WHERE coalesce(so."paid_at", o."paid_at") IS NOT NULL AND so."refunded_amount" > 0
  AND NOT EXISTS (SELECT 1 FROM "refund_allocations" ra WHERE ra."seller_order_id" = so."id")
ON CONFLICT ("key") DO NOTHING;
