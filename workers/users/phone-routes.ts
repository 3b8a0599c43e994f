import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { AddEmailPasswordInput, AddPhoneInput, AddPhoneVerifyInput, PhoneChallenge, Profile } from '../auth/public';

const tags = ['Users'];

export const startAddPhone = defineRoute({
  method: 'post',
  path: '/me/phone',
  auth: 'required',
  tags,
  summary: 'Send a code to the phone I want on my account',
  description:
    'Sends a 6-digit code to the number; verify it with POST /users/me/phone/verify. Counted on the account’s own limit (PHONE_CODE_MAX_PER_ACCOUNT) and the number’s; 429 with Retry-After during the resend cooldown.',
  request: { body: { ...json(AddPhoneInput), required: true } },
  responses: { 202: { description: 'Code sent', ...json(PhoneChallenge) }, ...authProblems, ...apiProblems },
});

export const verifyAddPhone = defineRoute({
  method: 'post',
  path: '/me/phone/verify',
  auth: 'required',
  tags,
  summary: 'Verify the code and make the number my phone',
  description:
    'The number becomes this account’s verified phone (it then signs in with POST /auth/phone/verify). An account that held it verified loses it (its sessions stay). Replacing a verified phone signs out every other session.',
  request: { body: { ...json(AddPhoneVerifyInput), required: true } },
  responses: { 200: { description: 'Updated profile', ...json(Profile) }, ...problems(409), ...authProblems, ...apiProblems },
});

export const addEmailPassword = defineRoute({
  method: 'post',
  path: '/me/email',
  auth: 'required',
  tags,
  summary: 'Add an email and password to a phone-only account',
  description:
    'For an account made by phone sign-in: it can then also sign in with the password. A verification email is queued. 409 when the account has an email already (use PUT /auth/change-password) or the email is taken.',
  request: { body: { ...json(AddEmailPasswordInput), required: true } },
  responses: { 200: { description: 'Updated profile', ...json(Profile) }, ...problems(409), ...authProblems, ...apiProblems },
});
