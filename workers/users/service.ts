import { and, asc, count, desc, eq, ilike, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { markRevoked } from '../../shared/auth/revocation';
import type { Deps, Principal } from '../../shared/context';
import { isUniqueViolation } from '../../shared/db/errors';
import { addresses, users, type Address as AddressRow, type User } from '../../shared/db/schema';
import { Conflict, Forbidden, LastAdmin, NotFound } from '../../shared/errors';
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

type Tx = Parameters<Parameters<Deps['db']['transaction']>[0]>[0];

const isActiveAdmin = (user: User) => user.role === 'admin' && !user.disabled && user.deletedAt === null;

/**
 * Locks the target user and every active admin, always in id order, and
 * answers the target and how many other active admins there are. Every change
 * that can take an admin away (demote, disable, delete) runs this first, so
 * two admins demoting each other at once take turns: the second sees the
 * first's change and is refused instead of leaving no admin. Locking in one
 * order keeps them from deadlocking.
 */
async function lockForAccountChange(tx: Tx, id: string): Promise<{ target?: User; otherActiveAdmins: number }> {
  const rows = await tx
    .select()
    .from(users)
    .where(and(isNull(users.deletedAt), or(eq(users.id, id), and(eq(users.role, 'admin'), eq(users.disabled, false)))))
    .orderBy(asc(users.id))
    .for('update');
  const target = rows.find((u) => u.id === id);
  return { target, otherActiveAdmins: rows.filter((u) => u.id !== id && isActiveAdmin(u)).length };
}

/**
 * Changes a user's role or disabled flag; both take effect at once. Either
 * change revokes every session of the user and denylists its access tokens,
 * so the old role stops working now and the next sign-in carries the new one.
 * No one changes their own role (403) or disables themselves (409), and the
 * last active admin can be neither demoted nor disabled (409 LAST_ADMIN).
 */
export async function patchUser(deps: Deps, auth: Principal, id: string, input: PatchUserInput): Promise<AdminUser> {
  assertAdmin(auth);
  if (id === auth.userId && input.disabled === true) {
    throw new Conflict('An admin cannot disable itself; ask another admin.');
  }
  const { user, revoked } = await deps.db.transaction(async (tx) => {
    const { target, otherActiveAdmins } = await lockForAccountChange(tx, id);
    if (!target) throw new NotFound('user', id);
    const roleChanged = input.role !== undefined && input.role !== target.role;
    const disabling = input.disabled === true && !target.disabled;
    if (roleChanged && id === auth.userId) throw new Forbidden('No one may change their own role; ask another admin.');
    if (isActiveAdmin(target) && (roleChanged || disabling) && otherActiveAdmins === 0) throw new LastAdmin(id);
    const [user] = await tx
      .update(users)
      .set({ ...input, updatedAt: sql`now()` })
      .where(eq(users.id, id))
      .returning();
    if (!user) throw new NotFound('user', id);
    const revoked =
      input.disabled === true
        ? await revokeSessions(tx, id, 'user disabled')
        : roleChanged
          ? await revokeSessions(tx, id, 'role changed')
          : [];
    return { user, revoked };
  });
  // A disabled user is denylisted as a whole; after a role change only its
  // sessions are, so signing in again works at once (with the new role).
  if (input.disabled === true) await markRevoked(deps, { userIds: [id], sessionIds: revoked });
  else if (revoked.length) await markRevoked(deps, { sessionIds: revoked });
  if (input.disabled === false) {
    await deps.redis.del(redisKey(deps.config, 'revoked', 'user', id)).catch(() => 0);
  }
  return toAdminUser(user);
}

/**
 * Soft delete: the row stays (orders keep pointing at it) but personal data
 * is erased, addresses are removed and every session ends. The last active
 * admin cannot be deleted.
 */
export async function deleteUser(deps: Deps, auth: Principal, id: string): Promise<void> {
  assertAdmin(auth);
  if (id === auth.userId) throw new Conflict('An admin cannot delete itself; ask another admin.');
  const revoked = await deps.db.transaction(async (tx) => {
    const { target, otherActiveAdmins } = await lockForAccountChange(tx, id);
    if (!target) throw new NotFound('user', id);
    if (isActiveAdmin(target) && otherActiveAdmins === 0) throw new LastAdmin(id);
    await tx
      .update(users)
      .set({
        email: `deleted-${id}@deleted.invalid`,
        name: 'Deleted user',
        phone: null,
        phoneVerifiedAt: null,
        locale: null,
        passwordHash: '!',
        disabled: true,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, id));
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
    const blank = { region: null, regionCode: null, district: null, mahalla: null, house: null, apartment: null, postalCode: null, landmark: null };
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
