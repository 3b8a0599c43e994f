-- Content in uz (Latin), ru and en (docs/catalog.md). The existing single-string columns keep the
-- deployment's default locale; `translations` holds the other locales per field:
-- {"ru": {"name": "…", "description": "…", "attributeLabels": {"brand": "Бренд"}}, "en": {…}}.
ALTER TABLE "products" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "translations" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_translations_object" CHECK (jsonb_typeof("translations") = 'object');--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_translations_object" CHECK (jsonb_typeof("translations") = 'object');--> statement-breakpoint
-- Search in every locale (docs/search.md): `simple` over every locale's text folded the way queries are
-- (lower case, ё → е, every apostrophe variant of Uzbek Latin dropped: oʻyinchoq, o'yinchoq, o`yinchoq → oyinchoq),
-- plus the Russian and English stemmers over their own translations. The index goes with the column.
ALTER TABLE "products" DROP COLUMN "search_vector";--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', translate(lower("products"."name" || ' ' || coalesce("products"."translations" #>> '{uz,name}', '') || ' ' || coalesce("products"."translations" #>> '{ru,name}', '') || ' ' || coalesce("products"."translations" #>> '{en,name}', '')), 'ё''`ʻʼ’‘´', 'е')), 'A')
        || setweight(to_tsvector('russian', coalesce("products"."translations" #>> '{ru,name}', '')), 'A')
        || setweight(to_tsvector('english', coalesce("products"."translations" #>> '{en,name}', '')), 'A')
        || setweight(to_tsvector('simple', translate(lower("products"."description" || ' ' || coalesce("products"."translations" #>> '{uz,description}', '') || ' ' || coalesce("products"."translations" #>> '{ru,description}', '') || ' ' || coalesce("products"."translations" #>> '{en,description}', '')), 'ё''`ʻʼ’‘´', 'е')), 'B')
        || setweight(to_tsvector('russian', coalesce("products"."translations" #>> '{ru,description}', '')), 'B')
        || setweight(to_tsvector('english', coalesce("products"."translations" #>> '{en,description}', '')), 'B')
        || setweight(jsonb_to_tsvector('simple', "products"."attributes", '["string", "numeric"]'), 'C')) STORED;--> statement-breakpoint
CREATE INDEX "products_search_idx" ON "products" USING gin ("search_vector");
