import { z } from '@hono/zod-openapi';
import { PasswordSchema } from '../../shared/auth/password-policy';
import { PhoneSchema } from '../../shared/schemas/phone';
import { RoleSchema } from '../../shared/schemas/role';

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email('must be an email address'))
  .openapi({ description: 'Email address (case-insensitive)', example: 'ada@example.com' });

export const NewPasswordSchema = PasswordSchema.openapi({
  description: '8-128 characters, not the email, not a common password',
  example: 'correct horse battery',
});

/** At login and for the current password: no policy, only a bound on size. */
const AnyPasswordSchema = z.string().min(1).max(128).openapi({ description: 'Password', example: 'correct horse battery' });

export const LocaleSchema = z
  .enum(['en', 'uz', 'ru'])
  .openapi({ description: 'Language for emails and messages', example: 'uz' });

export const UserSummary = z
  .object({
    id: z.uuid().openapi({ description: 'User id (UUIDv7)', example: '01930000-0000-7000-8000-000000000001' }),
    email: z.string().nullable().openapi({ description: 'Email address; null for an account made by phone sign-in', example: 'ada@example.com' }),
    name: z.string().openapi({ description: 'Display name', example: 'Ada Lovelace' }),
    role: RoleSchema,
  })
  .openapi('UserSummary');

export const Profile = UserSummary.extend({
  phone: z.string().nullable().openapi({ description: 'E.164 phone', example: '+998901234567' }),
  locale: z.string().nullable().openapi({ description: 'Preferred language', example: 'uz' }),
  emailVerified: z.boolean().openapi({ description: 'Whether the email was confirmed', example: true }),
  phoneVerified: z.boolean().openapi({ description: 'Whether the phone was proved by an SMS code (it then signs in)', example: true }),
  phoneOnly: z.boolean().openapi({ description: 'True for an account made by phone sign-in that has no email and password yet', example: false }),
  createdAt: z.iso.datetime().openapi({ description: 'When the account was created', example: '2026-11-28T10:00:00.000Z' }),
}).openapi('Profile');

export const AuthResult = z
  .object({
    user: UserSummary,
    accessToken: z.string().openapi({ description: 'JWT for `Authorization: Bearer`', example: 'eyJhbGciOiJIUzI1NiJ9…' }),
    refreshToken: z.string().openapi({ description: 'Opaque; single use, rotated by /auth/refresh', example: 'q3v…' }),
    expiresIn: z.number().int().openapi({ description: 'Access token lifetime in seconds', example: 900 }),
  })
  .openapi('AuthResult');

export const RegisterInput = z
  .strictObject({
    email: EmailSchema,
    password: NewPasswordSchema,
    name: z.string().trim().min(1).max(100).openapi({ description: 'Display name', example: 'Ada Lovelace' }),
    locale: LocaleSchema.optional().openapi({
      description: "Language for emails and messages from the first one (the welcome email); the deployment's default (uz) when left out",
      example: 'ru',
    }),
  })
  .openapi('RegisterInput');

const DeviceToken = z.string().max(512);

export const LoginInput = z
  .strictObject({
    email: EmailSchema,
    password: AnyPasswordSchema,
    deviceToken: DeviceToken.optional().openapi({
      description:
        'The `deviceToken` a previous successful login on this device returned. With it, the attempt is counted under this device’s own failure budget, so failures elsewhere cannot lock it out. An invalid or expired one is ignored.',
      example: 'eyJzdWIiOiIwMTkz…',
    }),
  })
  .openapi('LoginInput');

export const LoginResult = AuthResult.extend({
  deviceToken: DeviceToken.optional().openapi({
    description: 'Keep it on this device and send it with later logins to this account (valid LOGIN_DEVICE_TOKEN_DAYS).',
    example: 'eyJzdWIiOiIwMTkz…',
  }),
}).openapi('LoginResult');

export const RefreshInput = z
  .strictObject({
    refreshToken: z.string().min(1).max(200).openapi({ description: 'The latest refresh token', example: 'q3v…' }),
  })
  .openapi('RefreshInput');

export const UpdateProfileInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional().openapi({ description: 'Display name', example: 'Ada L.' }),
    phone: PhoneSchema.nullable().optional(),
    locale: LocaleSchema.nullable().optional(),
  })
  .openapi('UpdateProfileInput');

export const ChangePasswordInput = z
  .strictObject({ currentPassword: AnyPasswordSchema, newPassword: NewPasswordSchema })
  .openapi('ChangePasswordInput');

export const EmailInput = z.strictObject({ email: EmailSchema }).openapi('EmailInput');

const OneTimeToken = z.string().min(1).max(200).openapi({ description: 'The token from the email', example: 'Zx9…' });

export const ResetPasswordInput = z
  .strictObject({ token: OneTimeToken, newPassword: NewPasswordSchema })
  .openapi('ResetPasswordInput');

export const VerifyEmailInput = z.strictObject({ token: OneTimeToken }).openapi('VerifyEmailInput');

export const Accepted = z
  .object({ status: z.literal('accepted').openapi({ description: 'Always accepted', example: 'accepted' }) })
  .openapi('Accepted');

export type RegisterInput = z.infer<typeof RegisterInput>;
export type LoginInput = z.infer<typeof LoginInput>;
export type UpdateProfileInput = z.infer<typeof UpdateProfileInput>;
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;
export type ResetPasswordInput = z.infer<typeof ResetPasswordInput>;
export type AuthResult = z.infer<typeof AuthResult>;
export type LoginResult = z.infer<typeof LoginResult>;
export type Profile = z.infer<typeof Profile>;
