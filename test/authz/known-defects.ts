import type { Actor } from './types';

/**
 * Cases where the application answers something other than the rules in
 * docs/authorization.md. The table keeps the expected (correct) outcome; the
 * suite runs these cases as `it.fails`, so it stays green while the defect is
 * there and goes red once it is fixed — then delete the line here.
 */
/** Keyed by case label: the table key, plus ` (scenario)` for an operation with several scenarios. */
export const KNOWN_DEFECTS: Record<string, Partial<Record<Actor, string>>> = {};
