CREATE TYPE "public"."promotion_kind" AS ENUM('percentage', 'fixed_amount', 'free_shipping', 'buy_x_get_y', 'tiered');--> statement-breakpoint
CREATE TYPE "public"."promotion_activation" AS ENUM('automatic', 'code');--> statement-breakpoint
CREATE TYPE "public"."promotion_status" AS ENUM('active', 'paused', 'archived');--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" "promotion_kind" NOT NULL,
	"activation" "promotion_activation" NOT NULL,
	"status" "promotion_status" DEFAULT 'active' NOT NULL,
	"seller_id" uuid,
	"currency" text,
	"params" jsonb NOT NULL,
	"targets" jsonb NOT NULL,
	"min_subtotal" bigint,
	"min_quantity" integer,
	"first_order_only" boolean DEFAULT false NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"exclusive" boolean DEFAULT false NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"usage_limit" integer,
	"per_customer_limit" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_window" CHECK ("promotions"."ends_at" is null or "promotions"."ends_at" > "promotions"."starts_at"),
	CONSTRAINT "promotions_limits" CHECK (("promotions"."usage_limit" is null or "promotions"."usage_limit" > 0) and ("promotions"."per_customer_limit" is null or "promotions"."per_customer_limit" > 0)),
	CONSTRAINT "promotions_minimums" CHECK (("promotions"."min_subtotal" is null or "promotions"."min_subtotal" >= 0) and ("promotions"."min_quantity" is null or "promotions"."min_quantity" > 0))
);
--> statement-breakpoint
CREATE TABLE "promotion_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"promotion_id" uuid NOT NULL,
	"code" text NOT NULL,
	"usage_limit" integer,
	"batch_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotion_codes_format" CHECK ("promotion_codes"."code" ~ '^[A-Z0-9][A-Z0-9_-]{2,39}$'),
	CONSTRAINT "promotion_codes_limit" CHECK ("promotion_codes"."usage_limit" is null or "promotion_codes"."usage_limit" > 0)
);
--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_seller_id_users_id_fk" FOREIGN KEY ("seller_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_codes" ADD CONSTRAINT "promotion_codes_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promotions_seller_idx" ON "promotions" USING btree ("seller_id","id");--> statement-breakpoint
CREATE INDEX "promotions_automatic_idx" ON "promotions" USING btree ("starts_at") WHERE "promotions"."activation" = 'automatic' and "promotions"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "promotion_codes_code_key" ON "promotion_codes" USING btree ("code");--> statement-breakpoint
CREATE INDEX "promotion_codes_promotion_idx" ON "promotion_codes" USING btree ("promotion_id","id");
