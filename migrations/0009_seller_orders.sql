CREATE TYPE "public"."seller_order_status" AS ENUM('pending_payment', 'paid', 'processing', 'partially_shipped', 'shipped', 'delivered', 'cancelled', 'refunded');--> statement-breakpoint
ALTER TYPE "public"."order_status" ADD VALUE 'partially_shipped';--> statement-breakpoint
CREATE TABLE "refund_allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"payment_id" uuid NOT NULL,
	"provider_refund_id" text,
	"order_id" uuid NOT NULL,
	"seller_order_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seller_order_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"seller_order_id" uuid NOT NULL,
	"from_status" "seller_order_status",
	"to_status" "seller_order_status" NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seller_orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"seller_id" uuid NOT NULL,
	"status" "seller_order_status" DEFAULT 'pending_payment' NOT NULL,
	"currency" text NOT NULL,
	"subtotal" bigint NOT NULL,
	"tax" bigint NOT NULL,
	"shipping" bigint NOT NULL,
	"total" bigint NOT NULL,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"shipping_method_id" uuid,
	"shipping_choice" jsonb,
	"commission_bps" integer DEFAULT 0 NOT NULL,
	"commission" bigint DEFAULT 0 NOT NULL,
	"paid_at" timestamp with time zone,
	"shipped_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "seller_order_id" uuid;--> statement-breakpoint
-- Existing orders: one seller order per seller present in the order. Tax, shipping and refunds are
-- shared in proportion to each seller's subtotal (floor), the first seller (by id) taking the
-- remainder so the parts add up to the order's amounts exactly. A partially refunded order's
-- seller orders take the order's last fulfilment status.
WITH parts AS (
	SELECT i.order_id, i.seller_id, sum(i.line_total)::bigint AS subtotal,
		row_number() OVER (PARTITION BY i.order_id ORDER BY i.seller_id) AS n
	FROM "order_items" i GROUP BY i.order_id, i.seller_id
), shares AS (
	SELECT p.*, o.currency, o.paid_at, o.cancelled_at, o.cancel_reason, o.created_at,
		CASE WHEN o.status::text = 'partially_refunded' THEN coalesce((
			SELECT e.to_status::text FROM "order_events" e
			WHERE e.order_id = o.id AND e.to_status::text IN ('paid', 'processing', 'shipped', 'delivered')
			ORDER BY e.at DESC LIMIT 1), 'paid') ELSE o.status::text END AS status,
		CASE WHEN o.subtotal > 0 THEN floor(o.tax::numeric * p.subtotal / o.subtotal)::bigint ELSE 0 END AS tax,
		CASE WHEN o.subtotal > 0 THEN floor(o.shipping::numeric * p.subtotal / o.subtotal)::bigint ELSE 0 END AS shipping,
		CASE WHEN o.subtotal > 0 THEN floor(o.refunded_amount::numeric * p.subtotal / o.subtotal)::bigint ELSE 0 END AS refunded,
		o.tax AS order_tax, o.shipping AS order_shipping, o.refunded_amount AS order_refunded
	FROM parts p JOIN "orders" o ON o.id = p.order_id
), fixed AS (
	SELECT s.*,
		s.tax + CASE WHEN s.n = 1 THEN s.order_tax - sum(s.tax) OVER w ELSE 0 END AS tax_fixed,
		s.shipping + CASE WHEN s.n = 1 THEN s.order_shipping - sum(s.shipping) OVER w ELSE 0 END AS shipping_fixed,
		s.refunded + CASE WHEN s.n = 1 THEN s.order_refunded - sum(s.refunded) OVER w ELSE 0 END AS refunded_fixed
	FROM shares s WINDOW w AS (PARTITION BY s.order_id)
)
INSERT INTO "seller_orders" (id, order_id, seller_id, status, currency, subtotal, tax, shipping, total, refunded_amount,
	paid_at, shipped_at, delivered_at, cancelled_at, cancel_reason, created_at, updated_at)
SELECT gen_random_uuid(), f.order_id, f.seller_id, f.status::"seller_order_status", f.currency, f.subtotal, f.tax_fixed,
	f.shipping_fixed, f.subtotal + f.tax_fixed + f.shipping_fixed, f.refunded_fixed, f.paid_at,
	-- When the order was shipped and delivered, from its history (the return window and the ledger's hold count from it).
	CASE WHEN f.status IN ('shipped', 'delivered') THEN coalesce((SELECT max(e.at) FROM "order_events" e
		WHERE e.order_id = f.order_id AND e.to_status::text = 'shipped'), f.created_at) END,
	CASE WHEN f.status = 'delivered' THEN coalesce((SELECT max(e.at) FROM "order_events" e
		WHERE e.order_id = f.order_id AND e.to_status::text = 'delivered'), f.created_at) END,
	f.cancelled_at, f.cancel_reason, f.created_at, now()
FROM fixed f;--> statement-breakpoint
UPDATE "order_items" i SET "seller_order_id" = so.id
FROM "seller_orders" so WHERE so.order_id = i.order_id AND so.seller_id = i.seller_id;--> statement-breakpoint
INSERT INTO "seller_order_events" (id, seller_order_id, from_status, to_status, actor, note, at)
SELECT gen_random_uuid(), so.id, NULL, so.status, 'system:migration', 'seller order created from the existing order', now()
FROM "seller_orders" so;--> statement-breakpoint
ALTER TABLE "order_items" ALTER COLUMN "seller_order_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "refund_allocations" ADD CONSTRAINT "refund_allocations_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_allocations" ADD CONSTRAINT "refund_allocations_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund_allocations" ADD CONSTRAINT "refund_allocations_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_order_events" ADD CONSTRAINT "seller_order_events_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_orders" ADD CONSTRAINT "seller_orders_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_orders" ADD CONSTRAINT "seller_orders_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "refund_allocations_source_key" ON "refund_allocations" USING btree ("source","seller_order_id");--> statement-breakpoint
CREATE INDEX "refund_allocations_order_idx" ON "refund_allocations" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "refund_allocations_seller_order_idx" ON "refund_allocations" USING btree ("seller_order_id");--> statement-breakpoint
CREATE INDEX "seller_order_events_seller_order_idx" ON "seller_order_events" USING btree ("seller_order_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "seller_orders_order_seller_key" ON "seller_orders" USING btree ("order_id","seller_id");--> statement-breakpoint
CREATE INDEX "seller_orders_seller_idx" ON "seller_orders" USING btree ("seller_id","id");--> statement-breakpoint
CREATE INDEX "seller_orders_seller_status_idx" ON "seller_orders" USING btree ("seller_id","status","id");--> statement-breakpoint
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_items_seller_order_idx" ON "order_items" USING btree ("seller_order_id");