import { z } from 'zod';

/**
 * The most common passwords of at least 8 characters (from public breach
 * corpora). Not a substitute for a breach-check service, but it refuses the
 * passwords every credential-stuffing list starts with.
 */
const COMMON_PASSWORDS = new Set([
  '12345678', '123456789', '1234567890', 'password', 'password1', 'password123', 'qwertyuiop',
  'qwerty123', '11111111', '00000000', '87654321', '88888888', '12341234', '1q2w3e4r', '1qaz2wsx',
  'iloveyou', 'sunshine', 'princess', 'football', 'baseball', 'welcome1', 'abc12345', 'admin123',
  'passw0rd', 'p@ssw0rd', 'letmein1', 'trustno1', 'superman', 'starwars', 'whatever', 'computer',
  'michelle', 'jennifer', 'corvette', 'mercedes', 'qwertyui', 'asdfghjk', 'zxcvbnm1', 'q1w2e3r4',
  '1234qwer', 'qwer1234', 'aa123456', 'password!', 'changeme', 'internet', 'liverpool', 'chelsea1',
  'secret123', 'master123', 'dragon12', 'monkey123', 'shadow12', 'qazwsxedc', 'asdf1234',
  '123123123', '123qweasd', '1q2w3e4r5t', 'zaq12wsx', 'minecraft', 'pokemon1', 'samsung1',
  'iloveyou1', 'loveyou1', 'welcome123', 'admin1234', 'administrator', 'ultramarket',
  'uzbekistan', 'toshkent', 'tashkent', 'parol123', 'parol1234',
]);

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'is too common; choose another');

/** The rule that needs the email as well (an account without an email has nothing to compare). */
export function passwordEqualsEmail(password: string, email: string | null): boolean {
  return email !== null && password.trim().toLowerCase() === email.trim().toLowerCase();
}
