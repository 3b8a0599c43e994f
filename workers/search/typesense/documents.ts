/**
 * The Typesense product collection: its schema, the fields searched and returned,
 * and the mapping between our SearchDocument / SearchHit and what Typesense stores.
 */
import type { CollectionCreateSchema } from 'typesense/lib/Typesense/Collections';
import type { SearchDocument, SearchHit, SearchQuery } from '../engine';
import { latinise } from '../normalise';

/** Typesense's cap on per_page. */
export const MAX_PER_PAGE = 250;
/** Postgres returns the 50 most frequent categories and brands; so does this. */
export const MAX_FACET_VALUES = 50;
/**
 * Searched fields, most important first (attribute values mirror Postgres' weight-C tsvector part): the
 * default-locale name, the Russian and English names (each tokenised for its language), and `searchText`,
 * every locale's text folded and in Latin letters, which the query is also turned into (docs/search.md).
 */
export const QUERY_BY = 'name,nameRu,nameEn,description,brand,attributeValues,searchText';
export const QUERY_BY_WEIGHTS = '4,4,4,2,2,1,1';
/** Infix (substring) matching on the name only, when the normal match finds nothing. */
export const INFIX = 'fallback,off,off,off,off,off,off';
/** The document fields a hit needs (attributes, description and the sort helpers stay on the server; translations name the hit). */
export const HIT_FIELDS = 'id,slug,name,categoryId,sellerId,price,currency,brand,image,inStock,popularity,createdAt,translations';

/** What is stored in Typesense per product. */
export interface TypesenseProductDocument {
  id: string;
  /** Copy of the id that can be sorted on (Typesense cannot sort by `id`): the tie-break, as `id` is in Postgres. */
  sortId: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  categoryPath: string[];
  sellerId: string;
  /** Lowest variant price, minor units: what hits show, sorts and the price facet use. */
  price: number;
  /** Every variant's price: the price filter matches when any variant is in range (as in Postgres). */
  variantPrices: number[];
  currency: string;
  brand?: string;
  image?: string;
  inStock: boolean;
  popularity: number;
  /** Epoch milliseconds (sortable); hits turn it back into the ISO string. */
  createdAt: number;
  /** String and number attribute values, searched (as Postgres' tsvector does with attributes). */
  attributeValues: string[];
  /** The attributes as they are: stored and returned, not indexed (not in the schema). */
  attributes: Record<string, string | number | boolean>;
  /** Russian and English names, indexed with their language's tokeniser (present when translated). */
  nameRu?: string;
  nameEn?: string;
  /** Every locale's name and description, folded and transliterated to Latin (workers/search/normalise.ts), as queries are. */
  searchText: string;
  /** Names and descriptions per locale as stored: returned (hits' names), not indexed. */
  translations?: SearchDocument['translations'];
}

/** The collection schema (the same for the live collection and each reindex). */
export function productCollectionSchema(name: string): CollectionCreateSchema {
  return {
    name,
    fields: [
      { name: 'sortId', type: 'string', sort: true },
      { name: 'slug', type: 'string' },
      { name: 'name', type: 'string', infix: true },
      { name: 'description', type: 'string' },
      { name: 'categoryId', type: 'string', facet: true },
      { name: 'categoryPath', type: 'string[]', facet: true },
      { name: 'sellerId', type: 'string' },
      { name: 'price', type: 'int64', facet: true, sort: true },
      { name: 'variantPrices', type: 'int64[]' },
      { name: 'currency', type: 'string' },
      { name: 'brand', type: 'string', facet: true, optional: true },
      { name: 'image', type: 'string', index: false, optional: true },
      { name: 'inStock', type: 'bool', facet: true },
      { name: 'popularity', type: 'int32', sort: true },
      { name: 'createdAt', type: 'int64', sort: true },
      { name: 'attributeValues', type: 'string[]', optional: true },
      { name: 'nameRu', type: 'string', locale: 'ru', optional: true },
      { name: 'nameEn', type: 'string', locale: 'en', optional: true },
      { name: 'searchText', type: 'string' },
    ],
  };
}

/** SearchDocument (what documents.ts loads) → what Typesense stores. */
export function toTypesenseDocument(doc: SearchDocument & { variantPrices?: number[] }): TypesenseProductDocument {
  const createdAt = Date.parse(doc.createdAt);
  if (Number.isNaN(createdAt)) throw new Error(`product ${doc.id}: createdAt '${doc.createdAt}' is not a date`);
  const attributes = doc.attributes ?? {};
  const out: TypesenseProductDocument = {
    id: doc.id,
    sortId: doc.id,
    slug: doc.slug,
    name: doc.name,
    description: doc.description ?? '',
    categoryId: doc.categoryId,
    categoryPath: doc.categoryPath?.length ? doc.categoryPath : [doc.categoryId],
    sellerId: doc.sellerId,
    price: Number(doc.price),
    variantPrices: doc.variantPrices?.length ? doc.variantPrices.map(Number) : [Number(doc.price)],
    currency: doc.currency,
    inStock: Boolean(doc.inStock),
    popularity: Number(doc.popularity ?? 0),
    createdAt,
    attributeValues: Object.values(attributes)
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
      .map(String),
    attributes,
    searchText: searchTextOf(doc),
  };
  // Optional fields are left out rather than sent as null.
  const translations = doc.translations ?? {};
  if (translations.ru?.name) out.nameRu = translations.ru.name;
  if (translations.en?.name) out.nameEn = translations.en.name;
  if (Object.keys(translations).length) out.translations = translations;
  if (doc.brand !== null && doc.brand !== undefined) out.brand = doc.brand;
  if (doc.image !== null && doc.image !== undefined) out.image = doc.image;
  return out;
}

/** Every locale's text in one folded, Latin-letter string: Cyrillic queries are transliterated to match it. */
function searchTextOf(doc: SearchDocument): string {
  const texts = [doc.name, doc.description ?? ''];
  for (const t of Object.values(doc.translations ?? {})) texts.push(t?.name ?? '', t?.description ?? '');
  return latinise(texts.filter(Boolean).join(' '));
}

/** A stored document (restricted to HIT_FIELDS) → the hit shape both engines answer, named in `locale` where translated. */
export function fromTypesenseDocument(doc: Record<string, unknown>, locale?: SearchQuery['locale']): SearchHit {
  const translations = (doc.translations ?? {}) as NonNullable<SearchDocument['translations']>;
  const localized = locale ? translations[locale]?.name : undefined;
  return {
    id: String(doc.id),
    slug: String(doc.slug),
    name: localized || String(doc.name),
    categoryId: String(doc.categoryId),
    sellerId: String(doc.sellerId),
    price: Number(doc.price),
    currency: String(doc.currency),
    brand: typeof doc.brand === 'string' ? doc.brand : null,
    image: typeof doc.image === 'string' ? doc.image : null,
    inStock: doc.inStock === true,
    popularity: Number(doc.popularity ?? 0),
    createdAt: new Date(Number(doc.createdAt)).toISOString(),
  };
}
