CREATE TABLE "wishlist_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"sku" text NOT NULL,
	"notify" boolean DEFAULT true NOT NULL,
	"price_floor" bigint NOT NULL,
	"currency" text NOT NULL,
	"last_in_stock" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "wishlist_items" ADD CONSTRAINT "wishlist_items_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wishlist_items_user_sku_key" ON "wishlist_items" USING btree ("user_id","sku");--> statement-breakpoint
CREATE INDEX "wishlist_items_user_idx" ON "wishlist_items" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "wishlist_items_sku_idx" ON "wishlist_items" USING btree ("sku");
