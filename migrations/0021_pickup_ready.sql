-- A parcel to a pickup point is marked ready there (docs/marketplace.md, "Ready for pickup"): when, once.
ALTER TABLE "shipments" ADD COLUMN "ready_for_pickup_at" timestamp with time zone;
