-- Human-readable order numbers: UM-<year placed>-<sequence, at least 6 digits>, unique per deployment.
CREATE SEQUENCE IF NOT EXISTS "order_number_seq" START 1;--> statement-breakpoint
CREATE OR REPLACE FUNCTION next_order_number() RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT 'UM-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(n::text, greatest(6, length(n::text)), '0')
	FROM (SELECT nextval('order_number_seq') AS n) s
$$;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "number" text;--> statement-breakpoint
-- Existing orders are numbered in the order they were placed, with the year they were placed.
WITH numbered AS (
	SELECT id, created_at, row_number() OVER (ORDER BY created_at, id) AS n FROM "orders"
)
UPDATE "orders" o SET "number" = 'UM-' || to_char(x.created_at AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(x.n::text, greatest(6, length(x.n::text)), '0')
FROM numbered x WHERE x.id = o.id;--> statement-breakpoint
SELECT setval('order_number_seq', greatest((SELECT count(*) FROM "orders"), 1), (SELECT count(*) FROM "orders") > 0);--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "number" SET DEFAULT next_order_number();--> statement-breakpoint
ALTER TABLE "orders" ALTER COLUMN "number" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_number_key" ON "orders" USING btree ("number");
