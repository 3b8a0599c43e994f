/** The decoded (unverified) payload of a JWT. */
export const claimsOf = (jwt: string) =>
  JSON.parse(atob(jwt.split('.')[1]?.replaceAll('-', '+').replaceAll('_', '/') ?? '')) as Record<string, unknown>;

/** A short random fragment to put in emails, so a search finds only this test's users. */
export const fragment = (label: string) => `${label}${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

export interface AdminUserBody {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  phone: string | null;
  locale: string | null;
  emailVerified: boolean;
  createdAt: string;
  updatedAt: string;
}
