CREATE SEQUENCE "public"."click_prepare_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 1;--> statement-breakpoint
CREATE TABLE "provider_refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"idempotency_key" text NOT NULL,
	"method" text NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"order_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"state" integer NOT NULL,
	"create_time" bigint NOT NULL,
	"perform_time" bigint DEFAULT 0 NOT NULL,
	"cancel_time" bigint DEFAULT 0 NOT NULL,
	"reason" integer,
	"provider_time" bigint,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "mxik" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "package_code" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "cash_on_delivery" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "mxik" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "package_code" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "vat_bps" integer;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "vat" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "prices_include_tax" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_rate_bps" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "payment_provider" text DEFAULT 'stripe' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "seller_orders" ADD COLUMN "shipping_vat" bigint;--> statement-breakpoint
ALTER TABLE "seller_settings" ADD COLUMN "vat_payer" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "provider_transactions" ADD CONSTRAINT "provider_transactions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "provider_refunds_key" ON "provider_refunds" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "provider_refunds_payment_idx" ON "provider_refunds" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_transactions_external_key" ON "provider_transactions" USING btree ("provider","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_transactions_one_pending" ON "provider_transactions" USING btree ("provider","order_id") WHERE "provider_transactions"."state" = 1;--> statement-breakpoint
CREATE INDEX "provider_transactions_payment_idx" ON "provider_transactions" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "provider_transactions_time_idx" ON "provider_transactions" USING btree ("provider","create_time");--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_mxik_format" CHECK ("products"."mxik" is null or "products"."mxik" ~ '^[0-9]{17}$');--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_package_code_format" CHECK ("products"."package_code" is null or "products"."package_code" ~ '^[0-9]{1,20}$');