import { asc, eq, sql } from 'drizzle-orm';
import { invalidate, readThrough } from '../../shared/cache';
import type { Deps, Principal } from '../../shared/context';
import { constraintName, isForeignKeyViolation, isUniqueViolation } from '../../shared/db/errors';
import { categories, products, type Category } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { LocaleChoice } from '../../shared/locale';
import { localize, mergedTranslationsSql, splitTranslations } from '../../shared/translations';
import type { CategoryInput, CategoryNode } from './schemas';

function assertAdmin(auth: Principal): void {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin manages categories.');
}

function buildTree(rows: Category[], locale: LocaleChoice): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  for (const r of rows) nodes.set(r.id, toNode(r, locale));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The whole tree in `locale` (the cache key carries it), from the cache when current (one MGET), else one query. */
export async function getCategoryTree(deps: Deps, options: { fresh?: boolean; colo?: boolean; locale?: LocaleChoice } = {}) {
  const locale = options.locale ?? deps.config.DEFAULT_LOCALE;
  const result = await readThrough(
    deps,
    'categories',
    `tree:${locale}`,
    async () => {
      const rows = await deps.db.select().from(categories).orderBy(asc(categories.position), asc(categories.name));
      return { data: buildTree(rows, locale) };
    },
    { bypass: options.fresh, colo: options.colo },
  );
  if (!result) throw new Error('category tree returned nothing');
  return result;
}

function explain(err: unknown): never {
  if (isUniqueViolation(err)) throw new Conflict('Another category already uses this slug.', { field: 'slug' });
  if (isForeignKeyViolation(err) && constraintName(err)?.includes('parent')) {
    throw new ValidationFailed([{ path: 'parentId', message: 'no such category' }]);
  }
  throw err;
}

/** A row as the answer's node in `locale` (write answers: '*', every locale the writer sent). */
const toNode = (row: Category, locale: LocaleChoice): CategoryNode =>
  localize(
    {
      id: row.id,
      parentId: row.parentId,
      slug: row.slug,
      name: row.name,
      description: row.description,
      position: row.position,
      children: [],
      translations: row.translations,
    },
    locale,
  );

export async function createCategory(deps: Deps, auth: Principal, input: CategoryInput): Promise<CategoryNode> {
  assertAdmin(auth);
  const { translations, ...fields } = input;
  const [row] = await deps.db
    .insert(categories)
    .values({ id: newId(), ...fields, translations: splitTranslations(translations, deps.config.DEFAULT_LOCALE).set })
    .returning()
    .catch(explain);
  // Listings filter by category subtree, so they are invalidated too.
  await invalidate(deps, 'categories', 'catalog');
  if (!row) throw new Error('insert returned no row');
  return toNode(row, '*');
}

export async function updateCategory(deps: Deps, auth: Principal, id: string, input: CategoryInput): Promise<CategoryNode> {
  assertAdmin(auth);
  const { translations: patch, ...fields } = input;
  // Locales the body leaves out keep their texts (a single-string write changes the default locale only).
  const translations = mergedTranslationsSql(sql`${categories.translations}`, patch, deps.config.DEFAULT_LOCALE);
  const row = await deps.db
    .transaction(async (tx) => {
      // Moves take turns: two opposite moves checked at once could otherwise both pass and make a loop.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('categories:tree'))`);
      if (input.parentId) {
        // A category cannot move under itself or its own descendants.
        const cycle = await tx.execute<{ id: string }>(sql`
          with recursive up(id, parent_id) as (
            select id, parent_id from ${categories} where id = ${input.parentId}
            union select c.id, c.parent_id from ${categories} c join up on c.id = up.parent_id)
          select id from up where id = ${id} limit 1`);
        if (cycle.rows.length) throw new ValidationFailed([{ path: 'parentId', message: 'would make a cycle' }]);
      }
      const [updated] = await tx.update(categories).set({ ...fields, translations, updatedAt: sql`now()` }).where(eq(categories.id, id)).returning();
      return updated;
    })
    .catch(explain);
  if (!row) throw new NotFound('category', id);
  await invalidate(deps, 'categories', 'catalog');
  return toNode(row, '*');
}

/** Refuses (409) while the category has sub-categories or products. */
export async function deleteCategory(deps: Deps, auth: Principal, id: string): Promise<void> {
  assertAdmin(auth);
  const [usage] = await deps.db.execute<{ exists: boolean; children: number; products: number }>(sql`
    select exists(select 1 from ${categories} where id = ${id}) as exists,
      (select count(*)::int from ${categories} where parent_id = ${id}) as children,
      (select count(*)::int from ${products} where category_id = ${id} and deleted_at is null) as products`).then((r) => r.rows);
  if (!usage?.exists) throw new NotFound('category', id);
  if (usage.children || usage.products) {
    throw new Conflict('The category still has sub-categories or products; move or delete them first.', {
      children: usage.children,
      products: usage.products,
    });
  }
  try {
    await deps.db.delete(categories).where(eq(categories.id, id));
  } catch (err) {
    if (isForeignKeyViolation(err)) throw new Conflict('Deleted products still reference this category.');
    throw err;
  }
  await invalidate(deps, 'categories', 'catalog');
}
