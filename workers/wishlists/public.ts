/**
 * What the composition root (queue dispatcher) may use from wishlists: its
 * consumer of product changes and stock flips, which tells wishers of price
 * drops and restocks (docs/wishlists.md).
 */
import type { QueueConsumer } from '../../shared/queue';
import { fanOutToWishers, TRIGGERS } from './fan-out';

export const wishlistConsumers: QueueConsumer[] = [{ types: TRIGGERS, handle: fanOutToWishers }];
