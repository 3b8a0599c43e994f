import { ADDRESS } from '../../support/checkout';
import { type AccessTable, adminOnly, open, ownerOnly, signedIn } from '../types';

const newPassword = () => `new-pass-${crypto.randomUUID()}`;

/** /health, /auth and /users. */
export const accounts: AccessTable = {
  'GET /health': { request: () => ({}), expect: open(200) },
  'GET /health/ready': { request: () => ({}), expect: open(200) },

  // The public auth routes read no Authorization header: a revoked token there is simply not a credential.
  'POST /api/v1/auth/register': {
    request: ({ make }) => ({ body: { email: make.email(), password: newPassword(), name: 'Authz Register' } }),
    expect: open(201),
  },
  'POST /api/v1/auth/login': {
    request: ({ fx }) => ({ body: { email: fx.bystander.email, password: fx.bystander.password } }),
    expect: open(200),
  },
  'POST /api/v1/auth/refresh': {
    request: async ({ make }) => ({ body: { refreshToken: await make.refreshToken() } }),
    expect: open(200),
  },
  'POST /api/v1/auth/logout': { request: () => ({}), expect: signedIn(204), acting: 'throwaway' },
  'GET /api/v1/auth/profile': { request: () => ({}), expect: signedIn(200) },
  'PUT /api/v1/auth/profile': { request: () => ({ body: { locale: 'uz' } }), expect: signedIn(200) },
  'PUT /api/v1/auth/change-password': {
    request: ({ user }) => ({ body: { currentPassword: user?.password ?? 'not-a-password', newPassword: newPassword() } }),
    expect: signedIn(204),
    acting: 'throwaway',
  },
  'POST /api/v1/auth/forgot-password': { request: ({ fx }) => ({ body: { email: fx.bystander.email } }), expect: open(202) },
  'POST /api/v1/auth/reset-password': {
    request: async ({ make }) => ({ body: { token: await make.resetToken(), newPassword: newPassword() } }),
    expect: open(204),
  },
  'POST /api/v1/auth/verify-email': { request: async ({ make }) => ({ body: { token: await make.verifyToken() } }), expect: open(204) },
  'POST /api/v1/auth/resend-verification': { request: ({ fx }) => ({ body: { email: fx.bystander.email } }), expect: open(202) },

  // Addresses live under /me: every caller sees only its own, so customer A's address is 404 to all
  // others, admins included (an admin has no route to another user's address book).
  'GET /api/v1/users/me': { request: () => ({}), expect: signedIn(200) },
  'PATCH /api/v1/users/me': { request: () => ({ body: { locale: 'ru' } }), expect: signedIn(200) },
  'GET /api/v1/users/me/addresses': { request: () => ({}), expect: signedIn(200) },
  'POST /api/v1/users/me/addresses': { request: () => ({ body: ADDRESS }), expect: signedIn(201) },
  'GET /api/v1/users/me/addresses/{id}': {
    request: ({ fx }) => ({ params: { id: fx.addressId } }),
    expect: { ...ownerOnly(200), admin: 404 },
  },
  'PUT /api/v1/users/me/addresses/{id}': {
    request: ({ fx }) => ({ params: { id: fx.addressId }, body: ADDRESS }),
    expect: { ...ownerOnly(200), admin: 404 },
  },
  'DELETE /api/v1/users/me/addresses/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.addressId : await make.address() } }),
    expect: { ...ownerOnly(204), admin: 404 },
  },

  // User management is an admin's: the role is checked before the target is looked up, so 403, not 404.
  'GET /api/v1/users': { request: () => ({}), expect: adminOnly(200) },
  'GET /api/v1/users/{id}': { request: ({ fx }) => ({ params: { id: fx.users.customer.id } }), expect: adminOnly(200) },
  'PATCH /api/v1/users/{id}': {
    // Re-enabling an enabled user: harmless if a non-admin were (wrongly) let through.
    request: ({ fx }) => ({ params: { id: fx.bystander.id }, body: { disabled: false } }),
    expect: adminOnly(200),
  },
  'DELETE /api/v1/users/{id}': {
    request: async ({ fx, make, denied }) => ({ params: { id: denied ? fx.bystander.id : (await make.user()).id } }),
    expect: adminOnly(204),
  },
};
