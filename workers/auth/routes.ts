import { createRoute } from '@hono/zod-openapi';
import { apiProblems, authProblems, problems } from '../../shared/openapi';
import {
  Accepted,
  AuthResult,
  ChangePasswordInput,
  EmailInput,
  LoginInput,
  Profile,
  RefreshInput,
  RegisterInput,
  ResetPasswordInput,
  UpdateProfileInput,
  VerifyEmailInput,
} from './schemas';

const json = <T>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const tags = ['Auth'];
const bearer = [{ bearerAuth: [] }];

export const register = createRoute({
  method: 'post',
  path: '/register',
  tags,
  summary: 'Create a customer account',
  description: 'Signs the new user in. A verification email is queued. 409 when the email is taken.',
  request: { body: json(RegisterInput) },
  responses: {
    201: { description: 'Account created and signed in', content: { 'application/json': { schema: AuthResult } } },
    ...problems(409),
    ...apiProblems,
  },
});

export const login = createRoute({
  method: 'post',
  path: '/login',
  tags,
  summary: 'Sign in',
  description:
    'The same 401 for an unknown email and a wrong password. After LOGIN_MAX_FAILURES failures for an account within the window: 429.',
  request: { body: json(LoginInput) },
  responses: {
    200: { description: 'Signed in', content: { 'application/json': { schema: AuthResult } } },
    ...problems(401),
    ...apiProblems,
  },
});

export const refresh = createRoute({
  method: 'post',
  path: '/refresh',
  tags,
  summary: 'Rotate the refresh token',
  description:
    'Returns new tokens; the presented refresh token stops working. Presenting a refresh token that was already used revokes its whole session.',
  request: { body: json(RefreshInput) },
  responses: {
    200: { description: 'New tokens', content: { 'application/json': { schema: AuthResult } } },
    ...problems(401),
    ...apiProblems,
  },
});

export const logout = createRoute({
  method: 'post',
  path: '/logout',
  tags,
  security: bearer,
  summary: 'Sign out this session',
  description: 'Revokes the session’s refresh tokens and the presented access token.',
  responses: { 204: { description: 'Signed out' }, ...authProblems, ...apiProblems },
});

export const getProfile = createRoute({
  method: 'get',
  path: '/profile',
  tags,
  security: bearer,
  summary: 'The signed-in user',
  responses: {
    200: { description: 'Profile', content: { 'application/json': { schema: Profile } } },
    ...authProblems,
    ...apiProblems,
  },
});

export const updateProfile = createRoute({
  method: 'put',
  path: '/profile',
  tags,
  security: bearer,
  summary: 'Update name, phone or locale',
  description: 'Only these fields; any other field (role, email, …) is a 400.',
  request: { body: json(UpdateProfileInput) },
  responses: {
    200: { description: 'Updated profile', content: { 'application/json': { schema: Profile } } },
    ...authProblems,
    ...apiProblems,
  },
});

export const changePassword = createRoute({
  method: 'put',
  path: '/change-password',
  tags,
  security: bearer,
  summary: 'Change the password',
  description: 'Signs out every other session.',
  request: { body: json(ChangePasswordInput) },
  responses: { 204: { description: 'Changed' }, ...authProblems, ...apiProblems },
});

export const forgotPassword = createRoute({
  method: 'post',
  path: '/forgot-password',
  tags,
  summary: 'Email a password-reset link',
  description: 'Always 202, whether or not the email has an account; the account is looked up after the answer. A new reset link voids the older ones.',
  request: { body: json(EmailInput) },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: Accepted } } },
    ...apiProblems,
  },
});

export const resetPassword = createRoute({
  method: 'post',
  path: '/reset-password',
  tags,
  summary: 'Set a new password with an emailed token',
  description: 'The token is single-use and expires after an hour. Signs out every session.',
  request: { body: json(ResetPasswordInput) },
  responses: { 204: { description: 'Password set' }, ...apiProblems },
});

export const verifyEmail = createRoute({
  method: 'post',
  path: '/verify-email',
  tags,
  summary: 'Confirm the email address with an emailed token',
  request: { body: json(VerifyEmailInput) },
  responses: { 204: { description: 'Verified' }, ...apiProblems },
});

export const resendVerification = createRoute({
  method: 'post',
  path: '/resend-verification',
  tags,
  summary: 'Email a new verification link',
  description: 'Always 202, whether or not the email has an unverified account; the account is looked up after the answer.',
  request: { body: json(EmailInput) },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: Accepted } } },
    ...apiProblems,
  },
});
