/**
 * What other domains may use from auth. Everything else in this folder is auth's own.
 * Users (admin management) shows profiles and ends sessions of a disabled or demoted user; /users/me serves
 * the caller's own profile.
 */
export { getProfile, toProfile, updateProfile } from './service';
export { revokeSessions } from './sessions';
export { Profile, UpdateProfileInput } from './schemas';
