import type { Context } from 'hono';
import { principalOf } from '../../shared/auth/middleware';
import type { AppEnv } from '../../shared/context';
import { createRouter } from '../../shared/openapi';
import { clientIp, rateLimit } from '../../shared/rate-limit';
import { CART_ID_HEADER, mergeOnSignIn } from '../cart/public';
import * as oneTimeTokens from './one-time-tokens';
import * as phoneRoutes from './phone-routes';
import { startPhoneSignIn, verifyPhoneSignIn } from './phone-sign-in';
import * as routes from './routes';
import * as service from './service';

export const auth = createRouter();

// The seed's abuse limit: AUTH_RATE_LIMIT_REQUESTS per window per IP on every
// /auth route. Fails open: a Redis outage must not lock every customer out;
// PBKDF2's cost still bounds guessing per isolate.
auth.use('*', (c, next) => {
  const { config } = c.get('deps');
  return rateLimit({
    name: 'auth',
    limit: config.AUTH_RATE_LIMIT_REQUESTS,
    windowSeconds: config.AUTH_RATE_LIMIT_WINDOW_SECONDS,
  })(c, next);
});

const client = (c: Context<AppEnv>) => ({ ip: clientIp(c), userAgent: c.req.header('user-agent') });
const accepted = { status: 'accepted' as const };

auth.openapi(routes.register, async (c) => {
  const result = await service.registerUser(c.get('deps'), c.req.valid('json'), client(c));
  await mergeOnSignIn(c.get('deps'), result.user.id, c.req.header(CART_ID_HEADER));
  return c.json(result, 201);
});
auth.openapi(routes.login, async (c) => {
  const result = await service.loginUser(c.get('deps'), c.req.valid('json'), client(c));
  await mergeOnSignIn(c.get('deps'), result.user.id, c.req.header(CART_ID_HEADER));
  return c.json(result, 200);
});
auth.openapi(routes.refresh, async (c) =>
  c.json(await service.refreshSession(c.get('deps'), c.req.valid('json').refreshToken), 200),
);
auth.openapi(routes.logout, async (c) => {
  await service.logoutUser(c.get('deps'), principalOf(c));
  return c.body(null, 204);
});
auth.openapi(routes.getProfile, async (c) => c.json(await service.getProfile(c.get('deps'), principalOf(c)), 200));
auth.openapi(routes.updateProfile, async (c) =>
  c.json(await service.updateProfile(c.get('deps'), principalOf(c), c.req.valid('json')), 200),
);
auth.openapi(routes.changePassword, async (c) => {
  await service.changePassword(c.get('deps'), principalOf(c), c.req.valid('json'));
  return c.body(null, 204);
});
auth.openapi(routes.forgotPassword, async (c) => {
  oneTimeTokens.requestPasswordReset(c.get('deps'), c.req.valid('json').email);
  return c.json(accepted, 202);
});
auth.openapi(routes.resetPassword, async (c) => {
  await oneTimeTokens.resetPassword(c.get('deps'), c.req.valid('json'));
  return c.body(null, 204);
});
auth.openapi(routes.verifyEmail, async (c) => {
  await oneTimeTokens.verifyEmail(c.get('deps'), c.req.valid('json').token);
  return c.body(null, 204);
});
auth.openapi(routes.resendVerification, async (c) => {
  oneTimeTokens.resendVerification(c.get('deps'), c.req.valid('json').email);
  return c.json(accepted, 202);
});
auth.openapi(phoneRoutes.phoneStart, async (c) =>
  c.json(await startPhoneSignIn(c.get('deps'), c.req.valid('json'), client(c)), 202),
);
auth.openapi(phoneRoutes.phoneVerify, async (c) => {
  const result = await verifyPhoneSignIn(c.get('deps'), c.req.valid('json'), client(c));
  await mergeOnSignIn(c.get('deps'), result.user.id, c.req.header(CART_ID_HEADER));
  return c.json(result, 200);
});
