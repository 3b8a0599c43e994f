/**
 * What other domains may use from auth. Everything else in this folder is auth's own.
 * Users (admin management) shows profiles and ends sessions of a disabled or demoted user.
 */
export { toProfile } from './service';
export { revokeSessions } from './sessions';
export type { Profile } from './schemas';
