import { apiProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { PhoneChallenge, PhoneSignInResult, PhoneStartInput, PhoneVerifyInput } from './phone-schemas';

const tags = ['Auth'];

export const phoneStart = defineRoute({
  method: 'post',
  path: '/phone/start',
  auth: 'none',
  tags,
  summary: 'Send a sign-in code by SMS',
  description:
    'Sends a 6-digit code (valid 5 minutes, 5 tries) to a mobile number and answers the `challengeId` to verify it with. The same answer whether or not the number has an account. +998 numbers must be Uzbek mobiles; other countries per PHONE_COUNTRY_CODES. 429 with Retry-After during the resend cooldown (`resendAfterSeconds`) or past the limits per number, per network and per device; 503 when the SMS budget is spent. See docs/auth.md.',
  request: { body: { ...json(PhoneStartInput), required: true } },
  responses: {
    202: { description: 'Code sent', ...json(PhoneChallenge) },
    ...apiProblems,
  },
});

export const phoneVerify = defineRoute({
  method: 'post',
  path: '/phone/verify',
  auth: 'none',
  tags,
  summary: 'Sign in with the SMS code',
  description:
    'Exchanges the code for the tokens a password login gives: into the account whose verified phone this is, or a new customer account (no email, no password) on the number’s first use. A wrong code is a 400 that says the tries left; an expired, used or exhausted code a 400 asking for a new one.',
  request: { body: { ...json(PhoneVerifyInput), required: true } },
  responses: {
    200: { description: 'Signed in', ...json(PhoneSignInResult) },
    ...problems(401, 409),
    ...apiProblems,
  },
});
