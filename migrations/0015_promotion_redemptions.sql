ALTER TYPE "public"."ledger_entry_kind" ADD VALUE IF NOT EXISTS 'promotion_subsidy';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE IF NOT EXISTS 'promotion_subsidy_refund';--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "seller_orders" ADD COLUMN "discount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "seller_orders" ADD COLUMN "platform_discount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "discount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE "order_line_discounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"order_item_id" uuid,
	"seller_order_id" uuid NOT NULL,
	"promotion_id" uuid NOT NULL,
	"code_id" uuid,
	"target" text NOT NULL,
	"funded_by" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_line_discounts_target" CHECK ("order_line_discounts"."target" in ('line', 'shipping')),
	CONSTRAINT "order_line_discounts_funded_by" CHECK ("order_line_discounts"."funded_by" in ('platform', 'seller')),
	CONSTRAINT "order_line_discounts_amount_positive" CHECK ("order_line_discounts"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "promotion_redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"promotion_id" uuid NOT NULL,
	"code_id" uuid,
	"order_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"discount" bigint NOT NULL,
	"currency" text NOT NULL,
	"claims" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "promotion_usage" (
	"scope" text PRIMARY KEY NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotion_usage_used_not_negative" CHECK ("promotion_usage"."used" >= 0)
);
--> statement-breakpoint
ALTER TABLE "order_line_discounts" ADD CONSTRAINT "order_line_discounts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line_discounts" ADD CONSTRAINT "order_line_discounts_order_item_id_order_items_id_fk" FOREIGN KEY ("order_item_id") REFERENCES "public"."order_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line_discounts" ADD CONSTRAINT "order_line_discounts_seller_order_id_seller_orders_id_fk" FOREIGN KEY ("seller_order_id") REFERENCES "public"."seller_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_line_discounts" ADD CONSTRAINT "order_line_discounts_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "order_line_discounts_order_idx" ON "order_line_discounts" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_line_discounts_promotion_idx" ON "order_line_discounts" USING btree ("promotion_id");--> statement-breakpoint
CREATE UNIQUE INDEX "promotion_redemptions_order_promotion_key" ON "promotion_redemptions" USING btree ("order_id","promotion_id");--> statement-breakpoint
CREATE INDEX "promotion_redemptions_promotion_idx" ON "promotion_redemptions" USING btree ("promotion_id","created_at");--> statement-breakpoint
CREATE INDEX "promotion_redemptions_user_idx" ON "promotion_redemptions" USING btree ("user_id","promotion_id");--> statement-breakpoint
CREATE FUNCTION claim_promotion_usage(claims jsonb) RETURNS boolean LANGUAGE plpgsql AS $$
-- Counts one use on each scope of `claims` ([{scope, limit, promotionId, reason}]) if every scope is
-- under its limit, else raises SQLSTATE UMP01 (DETAIL: the promotion id, HINT: the reason), which rolls
-- back the whole statement that called it: the order, its redemptions and every count it made.
-- The upsert locks the scope's row, so racing checkouts take turns and a limit holds exactly.
DECLARE
	c jsonb;
	n integer;
BEGIN
	FOR c IN SELECT value FROM jsonb_array_elements(claims) ORDER BY value->>'scope' LOOP
		n := NULL;
		INSERT INTO promotion_usage AS u (scope, used) VALUES (c->>'scope', 1)
			ON CONFLICT (scope) DO UPDATE SET used = u.used + 1, updated_at = now()
			WHERE c->>'limit' IS NULL OR u.used < (c->>'limit')::int
			RETURNING u.used INTO n;
		IF n IS NULL OR (c->>'limit' IS NOT NULL AND n > (c->>'limit')::int) THEN
			RAISE EXCEPTION 'promotion limit reached' USING ERRCODE = 'UMP01', DETAIL = coalesce(c->>'promotionId', ''), HINT = coalesce(c->>'reason', 'limit_reached');
		END IF;
	END LOOP;
	RETURN true;
END $$;
