import { and, eq, sql } from 'drizzle-orm';
import type { Deps, Principal } from '../../shared/context';
import { notificationPreferences } from '../../shared/db/schema';
import { ValidationFailed } from '../../shared/errors';
import { NOTIFIED_EVENTS, type NotifiedEvent } from './templates';
import { isSmsEvent } from './templates/sms';

export const CHANNELS = ['email', 'sms', 'in_app'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Security messages: their email cannot be turned off (a reset link, a changed password must reach the owner). */
const LOCKED: ReadonlySet<string> = new Set(['email:auth.verify_email', 'email:auth.password_reset_requested', 'email:auth.password_changed']);

/** Whether `kind` can go out on `channel` at all: SMS only for the events a shopper wants by SMS. */
export const channelAvailable = (kind: NotifiedEvent, channel: Channel) => channel !== 'sms' || isSmsEvent(kind);
export const isLocked = (kind: NotifiedEvent, channel: Channel) => LOCKED.has(`${channel}:${kind}`);
/** Without a stored choice: every available channel is on (an SMS still needs a phone on the account). */
export const defaultEnabled = (kind: NotifiedEvent, channel: Channel) => channelAvailable(kind, channel);

export interface Preference {
  kind: NotifiedEvent;
  channel: Channel;
  enabled: boolean;
  /** False for a security email, which is always sent. */
  editable: boolean;
}

/** The channels one event goes out on for one user: stored choices over the defaults, locked ones always on. */
export async function channelsFor(deps: Deps, userId: string, kind: NotifiedEvent): Promise<Record<Channel, boolean>> {
  const rows = await deps.db
    .select({ channel: notificationPreferences.channel, enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.kind, kind)));
  const stored = new Map(rows.map((r) => [r.channel, r.enabled]));
  const on = (channel: Channel) => channelAvailable(kind, channel) && (isLocked(kind, channel) || (stored.get(channel) ?? defaultEnabled(kind, channel)));
  return { email: on('email'), sms: on('sms'), in_app: on('in_app') };
}

/** Every kind × available channel for the caller, as it stands. */
export async function getPreferences(deps: Deps, auth: Principal): Promise<{ data: Preference[] }> {
  const rows = await deps.db
    .select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel, enabled: notificationPreferences.enabled })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, auth.userId));
  const stored = new Map(rows.map((r) => [`${r.channel}:${r.kind}`, r.enabled]));
  const data: Preference[] = [];
  for (const kind of NOTIFIED_EVENTS) {
    for (const channel of CHANNELS) {
      if (!channelAvailable(kind, channel)) continue;
      const locked = isLocked(kind, channel);
      data.push({ kind, channel, enabled: locked || (stored.get(`${channel}:${kind}`) ?? defaultEnabled(kind, channel)), editable: !locked });
    }
  }
  return { data };
}

/**
 * Sets some of the caller's choices (the rest stay). All or nothing: an SMS
 * for a kind that has none, or turning off a security email, is a 400 naming
 * each offending entry, and nothing is stored.
 */
export async function updatePreferences(
  deps: Deps,
  auth: Principal,
  input: { preferences: Array<{ kind: NotifiedEvent; channel: Channel; enabled: boolean }> },
): Promise<{ data: Preference[] }> {
  const errors = input.preferences.flatMap((p, i) => {
    if (!channelAvailable(p.kind, p.channel)) return [{ path: `preferences.${i}.channel`, message: `${p.kind} is not sent by ${p.channel}` }];
    if (isLocked(p.kind, p.channel) && !p.enabled) return [{ path: `preferences.${i}.enabled`, message: `${p.kind} by ${p.channel} cannot be turned off` }];
    return [];
  });
  if (errors.length) throw new ValidationFailed(errors);
  const seen = new Map(input.preferences.map((p) => [`${p.channel}:${p.kind}`, p]));
  if (seen.size) {
    await deps.db
      .insert(notificationPreferences)
      .values([...seen.values()].map((p) => ({ userId: auth.userId, kind: p.kind, channel: p.channel, enabled: p.enabled })))
      .onConflictDoUpdate({
        target: [notificationPreferences.userId, notificationPreferences.kind, notificationPreferences.channel],
        set: { enabled: sql`excluded.enabled`, updatedAt: sql`now()` },
      });
  }
  return getPreferences(deps, auth);
}
