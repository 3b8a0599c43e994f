import { z } from '@hono/zod-openapi';
import { PhoneSchema } from '../../shared/schemas/phone';
import { EmailSchema, LocaleSchema, LoginResult, NewPasswordSchema } from './schemas';

const ChallengeId = z.uuid().openapi({
  description: 'The `challengeId` the code request answered; the code is accepted only with it',
  example: '01930000-0000-7000-8000-0000000000c1',
});

const Code = z
  .string()
  .regex(/^\d{6}$/, 'must be the 6 digits from the SMS')
  .openapi({ description: 'The 6-digit code from the SMS', example: '493027' });

export const PhoneStartInput = z
  .strictObject({
    phone: PhoneSchema,
    locale: LocaleSchema.optional().openapi({ description: 'Language of the SMS (default uz)', example: 'uz' }),
    deviceToken: z.string().max(512).optional().openapi({
      description:
        'The `deviceToken` of an earlier sign-in on this device. When it belongs to the account holding this number, the request counts on this device’s own limit, so requests from elsewhere cannot keep the owner from getting a code. Ignored otherwise.',
      example: 'eyJzdWIiOiIwMTkz…',
    }),
  })
  .openapi('PhoneStartInput');

export const AddPhoneInput = z
  .strictObject({
    phone: PhoneSchema,
    locale: LocaleSchema.optional().openapi({ description: 'Language of the SMS (default: the account’s, else uz)', example: 'ru' }),
  })
  .openapi('AddPhoneInput');

export const PhoneChallenge = z
  .object({
    challengeId: ChallengeId,
    expiresInSeconds: z.number().int().openapi({ description: 'Seconds the code stays valid', example: 300 }),
    resendAfterSeconds: z
      .number()
      .int()
      .openapi({ description: 'Seconds before this client may ask for another code to this number', example: 60 }),
  })
  .openapi('PhoneChallenge');

export const PhoneVerifyInput = z
  .strictObject({
    challengeId: ChallengeId,
    code: Code,
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Display name for an account created by this sign-in; ignored otherwise', example: 'Dilnoza' }),
  })
  .openapi('PhoneVerifyInput');

export const AddPhoneVerifyInput = z.strictObject({ challengeId: ChallengeId, code: Code }).openapi('AddPhoneVerifyInput');

export const PhoneSignInResult = LoginResult.extend({
  newAccount: z.boolean().openapi({ description: 'True when this sign-in created the account', example: true }),
}).openapi('PhoneSignInResult');

export const AddEmailPasswordInput = z
  .strictObject({ email: EmailSchema, password: NewPasswordSchema })
  .openapi('AddEmailPasswordInput');

export type PhoneStartInput = z.infer<typeof PhoneStartInput>;
export type AddPhoneInput = z.infer<typeof AddPhoneInput>;
export type PhoneChallenge = z.infer<typeof PhoneChallenge>;
export type PhoneVerifyInput = z.infer<typeof PhoneVerifyInput>;
export type AddPhoneVerifyInput = z.infer<typeof AddPhoneVerifyInput>;
export type PhoneSignInResult = z.infer<typeof PhoneSignInResult>;
export type AddEmailPasswordInput = z.infer<typeof AddEmailPasswordInput>;
