import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import {
  Accepted,
  AuthResult,
  ChangePasswordInput,
  EmailInput,
  LoginInput,
  LoginResult,
  Profile,
  RefreshInput,
  RegisterInput,
  ResetPasswordInput,
  UpdateProfileInput,
  VerifyEmailInput,
} from './schemas';

const tags = ['Auth'];

export const register = defineRoute({
  method: 'post',
  path: '/register',
  auth: 'none',
  tags,
  summary: 'Create a customer account',
  description: 'Signs the new user in. A verification email is queued. 409 when the email is taken.',
  request: { body: { ...json(RegisterInput), required: true } },
  responses: {
    201: { description: 'Account created and signed in', content: { 'application/json': { schema: AuthResult } } },
    ...problems(409),
    ...apiProblems,
  },
});

export const login = defineRoute({
  method: 'post',
  path: '/login',
  auth: 'none',
  tags,
  summary: 'Sign in',
  description:
    'The same 401 for an unknown email and a wrong password. Each attempt takes one from the account’s failure budgets before the password is checked; a spent budget answers 429 with Retry-After, even for the right password. Without a device token: LOGIN_MAX_FAILURES per client network and LOGIN_ACCOUNT_MAX_FAILURES from everywhere; with the `deviceToken` of an earlier login: LOGIN_DEVICE_MAX_FAILURES for that device only. See docs/auth.md.',
  request: { body: { ...json(LoginInput), required: true } },
  responses: {
    200: { description: 'Signed in, with a new device token', content: { 'application/json': { schema: LoginResult } } },
    ...problems(401),
    ...apiProblems,
  },
});

export const refresh = defineRoute({
  method: 'post',
  path: '/refresh',
  auth: 'none',
  tags,
  summary: 'Rotate the refresh token',
  description:
    'Returns new tokens; the presented refresh token stops working. Presenting a refresh token that was already used revokes its whole session.',
  request: { body: { ...json(RefreshInput), required: true } },
  responses: {
    200: { description: 'New tokens', content: { 'application/json': { schema: AuthResult } } },
    ...problems(401),
    ...apiProblems,
  },
});

export const logout = defineRoute({
  method: 'post',
  path: '/logout',
  auth: 'required',
  tags,
  summary: 'Sign out this session',
  description: 'Revokes the session’s refresh tokens and the presented access token.',
  responses: { 204: { description: 'Signed out' }, ...authProblems, ...apiProblems },
});

export const getProfile = defineRoute({
  method: 'get',
  path: '/profile',
  auth: 'required',
  tags,
  summary: 'The signed-in user',
  responses: {
    200: { description: 'Profile', content: { 'application/json': { schema: Profile } } },
    ...authProblems,
    ...apiProblems,
  },
});

export const updateProfile = defineRoute({
  method: 'put',
  path: '/profile',
  auth: 'required',
  tags,
  summary: 'Update name, phone or locale',
  description: 'Only these fields; any other field (role, email, …) is a 400.',
  request: { body: { ...json(UpdateProfileInput), required: true } },
  responses: {
    200: { description: 'Updated profile', content: { 'application/json': { schema: Profile } } },
    ...authProblems,
    ...apiProblems,
  },
});

export const changePassword = defineRoute({
  method: 'put',
  path: '/change-password',
  auth: 'required',
  tags,
  summary: 'Change the password',
  description: 'Signs out every other session.',
  request: { body: { ...json(ChangePasswordInput), required: true } },
  responses: { 204: { description: 'Changed' }, ...authProblems, ...apiProblems },
});

export const forgotPassword = defineRoute({
  method: 'post',
  path: '/forgot-password',
  auth: 'none',
  tags,
  summary: 'Email a password-reset link',
  description: 'Always 202, whether or not the email has an account; the account is looked up after the answer. A new reset link voids the older ones.',
  request: { body: { ...json(EmailInput), required: true } },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: Accepted } } },
    ...apiProblems,
  },
});

export const resetPassword = defineRoute({
  method: 'post',
  path: '/reset-password',
  auth: 'none',
  tags,
  summary: 'Set a new password with an emailed token',
  description: 'The token is single-use and expires after an hour. Signs out every session.',
  request: { body: { ...json(ResetPasswordInput), required: true } },
  responses: { 204: { description: 'Password set' }, ...apiProblems },
});

export const verifyEmail = defineRoute({
  method: 'post',
  path: '/verify-email',
  auth: 'none',
  tags,
  summary: 'Confirm the email address with an emailed token',
  request: { body: { ...json(VerifyEmailInput), required: true } },
  responses: { 204: { description: 'Verified' }, ...apiProblems },
});

export const resendVerification = defineRoute({
  method: 'post',
  path: '/resend-verification',
  auth: 'none',
  tags,
  summary: 'Email a new verification link',
  description: 'Always 202, whether or not the email has an unverified account; the account is looked up after the answer.',
  request: { body: { ...json(EmailInput), required: true } },
  responses: {
    202: { description: 'Accepted', content: { 'application/json': { schema: Accepted } } },
    ...apiProblems,
  },
});
