-- SMS as a second delivery channel: SMS deliveries share email_deliveries (one row per event and template,
-- the same claim, retry, dead-letter and admin-retry path), told apart by `channel`.
ALTER TABLE "email_deliveries" ADD COLUMN "channel" text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE "email_deliveries" ADD CONSTRAINT "email_deliveries_channel_check" CHECK ("channel" in ('email', 'sms'));--> statement-breakpoint
-- What the provider's delivery report last said (Eskiz: DELIVRD, UNDELIV, REJECTD, EXPIRED…) and when it arrived.
ALTER TABLE "email_deliveries" ADD COLUMN "report_status" text;--> statement-breakpoint
ALTER TABLE "email_deliveries" ADD COLUMN "reported_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "email_deliveries_provider_message_idx" ON "email_deliveries" USING btree ("provider_message_id") WHERE "channel" = 'sms';--> statement-breakpoint
-- A user's choices per event kind and channel; a missing row means the kind's default.
CREATE TABLE "notification_preferences" (
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_pkey" PRIMARY KEY("user_id","kind","channel"),
	CONSTRAINT "notification_preferences_channel_check" CHECK ("channel" in ('email', 'sms', 'in_app'))
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Development and tests only: the local SMS outbox, what Eskiz would have sent.
CREATE TABLE "dev_sms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"to_phone" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dev_sms_delivery_key" ON "dev_sms" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "dev_sms_to_idx" ON "dev_sms" USING btree ("to_phone","id");
