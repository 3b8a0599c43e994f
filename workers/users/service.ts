import { and, count, desc, eq, ilike, isNull, lt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { markRevoked } from '../../shared/auth/revocation';
import type { Deps, Principal } from '../../shared/context';
import { isUniqueViolation } from '../../shared/db/errors';
import { addresses, users, type Address as AddressRow, type User } from '../../shared/db/schema';
import { Conflict, Forbidden, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, paginate } from '../../shared/pagination';
import { redisKey } from '../../shared/redis';
import { revokeSessions, toProfile } from '../auth/public';
import type { Address, AddressInput, AdminUser, ListUsersQuery, PatchUserInput } from './schemas';

/** How many addresses one user may keep. */
export const MAX_ADDRESSES = 20;

function assertAdmin(auth: Principal): void {
  if (auth.role !== 'admin') throw new Forbidden('Only an admin may manage users.');
}

function toAdminUser(user: User): AdminUser {
  return { ...toProfile(user), disabled: user.disabled, updatedAt: user.updatedAt.toISOString() };
}

/** `%` and `_` in a search term are literal, not wildcards. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function listUsers(deps: Deps, auth: Principal, query: ListUsersQuery) {
  assertAdmin(auth);
  const after = decodeCursor(query.cursor, z.object({ id: z.uuid() }));
  const rows = await deps.db
    .select()
    .from(users)
    .where(
      and(
        isNull(users.deletedAt),
        query.role ? eq(users.role, query.role) : undefined,
        query.email ? ilike(users.email, `%${escapeLike(query.email.toLowerCase())}%`) : undefined,
        after ? lt(users.id, after.id) : undefined,
      ),
    )
    .orderBy(desc(users.id))
    .limit(query.limit + 1);
  const page = paginate(rows, query.limit, (u) => ({ id: u.id }));
  return { data: page.data.map(toAdminUser), nextCursor: page.nextCursor };
}

async function loadUser(deps: Deps, id: string): Promise<User> {
  const [user] = await deps.db.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt)));
  if (!user) throw new NotFound('user', id);
  return user;
}

export async function getUser(deps: Deps, auth: Principal, id: string): Promise<AdminUser> {
  assertAdmin(auth);
  return toAdminUser(await loadUser(deps, id));
}

/**
 * Changes a user's role or disabled flag. Disabling ends every session at
 * once; a role change applies from the user's next token refresh (at most one
 * access-token lifetime).
 */
export async function patchUser(deps: Deps, auth: Principal, id: string, input: PatchUserInput): Promise<AdminUser> {
  assertAdmin(auth);
  if (id === auth.userId && (input.disabled === true || (input.role && input.role !== 'admin'))) {
    throw new Conflict('An admin cannot disable or demote itself; ask another admin.');
  }
  const { user, revoked } = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning();
    if (!user) throw new NotFound('user', id);
    const revoked = input.disabled ? await revokeSessions(tx, id, 'user disabled') : [];
    return { user, revoked };
  });
  if (input.disabled) await markRevoked(deps, { userIds: [id], sessionIds: revoked });
  if (input.disabled === false) {
    await deps.redis.del(redisKey(deps.config, 'revoked', 'user', id)).catch(() => 0);
  }
  return toAdminUser(user);
}

/**
 * Soft delete: the row stays (orders keep pointing at it) but personal data
 * is erased, addresses are removed and every session ends.
 */
export async function deleteUser(deps: Deps, auth: Principal, id: string): Promise<void> {
  assertAdmin(auth);
  if (id === auth.userId) throw new Conflict('An admin cannot delete itself; ask another admin.');
  const revoked = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({
        email: `deleted-${id}@deleted.invalid`,
        name: 'Deleted user',
        phone: null,
        locale: null,
        passwordHash: '!',
        disabled: true,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning({ id: users.id });
    if (!user) throw new NotFound('user', id);
    await tx.delete(addresses).where(eq(addresses.userId, id));
    return revokeSessions(tx, id, 'user deleted');
  });
  await markRevoked(deps, { userIds: [id], sessionIds: revoked });
}

function toAddress(row: AddressRow): Address {
  const { userId: _owner, createdAt, updatedAt, ...rest } = row;
  return { ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() };
}

export async function listAddresses(deps: Deps, auth: Principal): Promise<Address[]> {
  const rows = await deps.db
    .select()
    .from(addresses)
    .where(eq(addresses.userId, auth.userId))
    .orderBy(desc(addresses.isDefault), desc(addresses.id));
  return rows.map(toAddress);
}

/** The caller's own address, or 404 (someone else's is not revealed). */
export async function getAddress(deps: Deps, auth: Principal, id: string): Promise<Address> {
  const [row] = await deps.db
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, id), eq(addresses.userId, auth.userId)));
  if (!row) throw new NotFound('address', id);
  return toAddress(row);
}

/**
 * Address writes of one user take turns: the count limit and the single
 * default are read-then-write rules that concurrent requests would otherwise
 * break (the unique index would answer with an error instead).
 */
const lockOwner = (tx: Pick<Deps['db'], 'select'>, userId: string) =>
  tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');

const clearDefault = (tx: Pick<Deps['db'], 'update'>, userId: string, except?: string) =>
  tx
    .update(addresses)
    .set({ isDefault: false })
    .where(and(eq(addresses.userId, userId), eq(addresses.isDefault, true), except ? ne(addresses.id, except) : undefined));

/** The first address becomes the default; `isDefault: true` moves the default here. */
export async function createAddress(deps: Deps, auth: Principal, input: AddressInput): Promise<Address> {
  try {
    return await deps.db.transaction(async (tx) => {
      await lockOwner(tx, auth.userId);
      const [existing] = await tx.select({ n: count() }).from(addresses).where(eq(addresses.userId, auth.userId));
      const n = existing?.n ?? 0;
      if (n >= MAX_ADDRESSES) throw new Conflict(`At most ${MAX_ADDRESSES} addresses; delete one first.`);
      const isDefault = n === 0 || input.isDefault === true;
      if (isDefault && n > 0) await clearDefault(tx, auth.userId);
      const [row] = await tx
        .insert(addresses)
        .values({ ...input, id: newId(), userId: auth.userId, isDefault })
        .returning();
      if (!row) throw new Error('insert returned no row');
      return toAddress(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('Another request changed the default address; retry.');
    throw err;
  }
}

export async function updateAddress(deps: Deps, auth: Principal, id: string, input: AddressInput): Promise<Address> {
  return deps.db.transaction(async (tx) => {
    await lockOwner(tx, auth.userId);
    const [current] = await tx
      .select({ isDefault: addresses.isDefault })
      .from(addresses)
      .where(and(eq(addresses.id, id), eq(addresses.userId, auth.userId)))
      .for('update');
    if (!current) throw new NotFound('address', id);
    if (current.isDefault && input.isDefault === false) {
      throw new Conflict('Make another address the default instead of unsetting this one.');
    }
    if (input.isDefault && !current.isDefault) await clearDefault(tx, auth.userId, id);
    const blank = { region: null, district: null, mahalla: null, house: null, apartment: null, postalCode: null, landmark: null };
    const [row] = await tx
      .update(addresses)
      .set({ ...blank, ...input, isDefault: current.isDefault || input.isDefault === true, updatedAt: sql`now()` })
      .where(and(eq(addresses.id, id), eq(addresses.userId, auth.userId)))
      .returning();
    if (!row) throw new NotFound('address', id);
    return toAddress(row);
  });
}

/** Deleting the default promotes the most recently added remaining address. */
export async function deleteAddress(deps: Deps, auth: Principal, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockOwner(tx, auth.userId);
    const [removed] = await tx
      .delete(addresses)
      .where(and(eq(addresses.id, id), eq(addresses.userId, auth.userId)))
      .returning({ isDefault: addresses.isDefault });
    if (!removed) throw new NotFound('address', id);
    if (!removed.isDefault) return;
    const [next] = await tx
      .select({ id: addresses.id })
      .from(addresses)
      .where(eq(addresses.userId, auth.userId))
      .orderBy(desc(addresses.id))
      .limit(1);
    if (next) await tx.update(addresses).set({ isDefault: true }).where(eq(addresses.id, next.id));
  });
}
