/**
 * What other domains may use from auth. Everything else in this folder is auth's own.
 * Users (admin management) shows profiles and ends sessions of a disabled or demoted user; /users/me serves
 * the caller's own profile, phone and credentials.
 */
export { getProfile, toProfile, updateProfile } from './service';
export { revokeSessions } from './sessions';
export { Profile, UpdateProfileInput } from './schemas';
export { addEmailPassword, startAddPhone, verifyAddPhone } from './phone-account';
export { AddEmailPasswordInput, AddPhoneInput, AddPhoneVerifyInput, PhoneChallenge } from './phone-schemas';
