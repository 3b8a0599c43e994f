-- The ledger of orders paid before it existed (docs/ledger.md): each paid seller order's sale
-- and commission (0 for them: commissions start with this release); the refunds recorded before
-- refunds were allocated to seller orders, allocated now (`provider:<refundId>`, shared by the
-- seller orders' subtotals as migration 0009 shared the refunded amount) and booked as refund
-- entries, so nothing allocates or books them again later; and what else the seller order had
-- refunded (automatic refunds have no refund row) as one entry keyed
-- `refund:migrated:<sellerOrderId>`. Only seller orders migration 0009 made (their first history
-- entry is by `system:migration`) are touched. Keys are unique, so running this again books
-- nothing twice.
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
WITH legacy AS (
	SELECT so."id", so."order_id", so."subtotal",
		row_number() OVER (PARTITION BY so."order_id" ORDER BY so."seller_id") AS n,
		sum(so."subtotal") OVER (PARTITION BY so."order_id") AS order_subtotal
	FROM "seller_orders" so
	WHERE EXISTS (SELECT 1 FROM "seller_order_events" e WHERE e."seller_order_id" = so."id" AND e."actor" = 'system:migration')
), pending AS (
	SELECT r."id" AS refund_id, r."provider_refund_id", r."amount", r."payment_id", p."order_id", p."currency", r."created_at"
	FROM "refunds" r JOIN "payments" p ON p."id" = r."payment_id"
	WHERE NOT EXISTS (SELECT 1 FROM "refund_allocations" a WHERE a."provider_refund_id" = r."provider_refund_id")
), shares AS (
	SELECT pe.*, l."id" AS seller_order_id, l.n,
		CASE WHEN l.order_subtotal > 0 THEN floor(pe."amount"::numeric * l."subtotal" / l.order_subtotal)::bigint ELSE 0 END AS share
	FROM pending pe JOIN legacy l ON l."order_id" = pe."order_id"
), fixed AS (
	SELECT s.*, s.share + CASE WHEN s.n = 1 THEN s."amount" - sum(s.share) OVER (PARTITION BY s.refund_id) ELSE 0 END AS amount_fixed
	FROM shares s
)
INSERT INTO "refund_allocations" ("id", "source", "payment_id", "provider_refund_id", "order_id", "seller_order_id", "amount", "currency", "created_at")
SELECT gen_random_uuid(), 'provider:' || f."provider_refund_id", f."payment_id", f."provider_refund_id", f."order_id", f.seller_order_id, f.amount_fixed, f."currency", f."created_at"
FROM fixed f WHERE f.amount_fixed > 0
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "ledger_entries" ("id", "key", "seller_id", "currency", "amount", "kind", "order_id", "seller_order_id", "refund_allocation_id", "created_at")
SELECT gen_random_uuid(), 'refund:' || a."id", so."seller_id", a."currency", -a."amount", 'refund', a."order_id", so."id", a."id", a."created_at"
FROM "refund_allocations" a JOIN "seller_orders" so ON so."id" = a."seller_order_id" JOIN "orders" o ON o."id" = so."order_id"
WHERE coalesce(so."paid_at", o."paid_at") IS NOT NULL
	AND EXISTS (SELECT 1 FROM "seller_order_events" e WHERE e."seller_order_id" = so."id" AND e."actor" = 'system:migration')
ON CONFLICT ("key") DO NOTHING;--> statement-breakpoint
INSERT INTO "ledger_entries" ("id", "key", "seller_id", "currency", "amount", "kind", "order_id", "seller_order_id", "created_at")
SELECT gen_random_uuid(), 'refund:migrated:' || so."id", so."seller_id", so."currency", -(so."refunded_amount" - x.allocated), 'refund', so."order_id", so."id", coalesce(o."updated_at", now())
FROM "seller_orders" so JOIN "orders" o ON o."id" = so."order_id"
	CROSS JOIN LATERAL (SELECT coalesce(sum(a."amount"), 0) AS allocated FROM "refund_allocations" a WHERE a."seller_order_id" = so."id") x
WHERE coalesce(so."paid_at", o."paid_at") IS NOT NULL AND so."refunded_amount" <> x.allocated
	AND EXISTS (SELECT 1 FROM "seller_order_events" e WHERE e."seller_order_id" = so."id" AND e."actor" = 'system:migration')
ON CONFLICT ("key") DO NOTHING;
