ALTER TABLE "products" ADD COLUMN "mxik" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "package_code" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "mxik" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "package_code" text;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "vat_bps" integer;--> statement-breakpoint
ALTER TABLE "order_items" ADD COLUMN "vat" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "prices_include_tax" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "tax_rate_bps" integer;--> statement-breakpoint
ALTER TABLE "seller_orders" ADD COLUMN "shipping_vat" bigint;--> statement-breakpoint
ALTER TABLE "seller_settings" ADD COLUMN "vat_payer" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_mxik_format" CHECK ("products"."mxik" is null or "products"."mxik" ~ '^[0-9]{17}$');--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_package_code_format" CHECK ("products"."package_code" is null or "products"."package_code" ~ '^[0-9]{1,20}$');