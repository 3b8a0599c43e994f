import { eskizPhone, SmsSendFailed, type SentSms, type SmsMessage, type SmsProvider } from './provider';

/**
 * Eskiz (notify.eskiz.uz), as its published API documents it (the Postman
 * collection "СМС шлюз от Eskiz.uz", docs/notifications.md cites it):
 *
 *   POST  /auth/login          form {email, password}            → {message: 'token_generated', data: {token}, token_type: 'bearer'}
 *   PATCH /auth/refresh        Bearer <token>                    → the same shape, a new token (a token lives 30 days)
 *   POST  /message/sms/send    Bearer; form {mobile_phone (digits, no +), message, from, callback_url?}
 *                                                                → {id, message: 'Waiting for SMS provider', status: 'waiting'}
 *   callback_url receives POST {request_id, message_id, user_sms_id, country, phone_number, sms_count, status, status_date},
 *   `request_id` being the `id` the send answered (workers/notifications/sms-status.ts takes it).
 *
 * A 401 means the token expired or was revoked: the client logs in again
 * once and resends. A token older than REFRESH_AFTER_MS is renewed with
 * PATCH /auth/refresh before use. Errors never include the credentials.
 */
export interface EskizOptions {
  /** API base, e.g. https://notify.eskiz.uz/api (the stand-in's /api in development and tests). */
  baseUrl: string;
  email: string;
  password: string;
  /** Sender name (nick) Eskiz assigned; 4546 until one is approved. */
  from: string;
  /** Where Eskiz posts delivery reports; none → no reports. */
  callbackUrl?: string;
  tokens: EskizTokenStore;
  timeoutMs?: number;
  /** Clock for the token's age (tests). */
  now?: () => number;
}

export interface CachedToken {
  token: string;
  /** When it was issued or last refreshed (epoch ms). */
  issuedAt: number;
}

/** Where the token is kept between requests (Redis in the Worker: isolates share it, so one login serves all). */
export interface EskizTokenStore {
  get(): Promise<CachedToken | undefined>;
  set(token: CachedToken): Promise<void>;
  clear(): Promise<void>;
}

const TIMEOUT_MS = 10_000;
/** Eskiz tokens live 30 days; renew well before. */
export const REFRESH_AFTER_MS = 25 * 24 * 3600 * 1000;
const ERROR_BODY_CHARS = 300;
const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  raw: string;
}

export function eskizSmsProvider(options: EskizOptions): SmsProvider {
  const now = options.now ?? Date.now;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call(method: string, path: string, form: Record<string, string> | undefined, token?: string): Promise<Answer> {
    let body: FormData | undefined;
    if (form) {
      body = new FormData();
      for (const [k, v] of Object.entries(form)) body.append(k, v);
    }
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: token ? { authorization: `Bearer ${token}`, accept: 'application/json' } : { accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'unreachable';
      throw new SmsSendFailed(`Eskiz ${reason}: ${String(err)}`, true);
    }
    const raw = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const record = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    return { status: res.status, body: record, raw };
  }

  const failure = (what: string, answer: Answer, retryable = retryableStatus(answer.status)) =>
    new SmsSendFailed(`Eskiz ${what} answered ${answer.status}: ${answer.raw.slice(0, ERROR_BODY_CHARS)}`, retryable, answer.status);

  function tokenOf(answer: Answer): string | undefined {
    const data = answer.body.data as Record<string, unknown> | undefined;
    return answer.status === 200 && typeof data?.token === 'string' && data.token ? data.token : undefined;
  }

  async function login(): Promise<string> {
    const answer = await call('POST', '/auth/login', { email: options.email, password: options.password });
    const token = tokenOf(answer);
    // Wrong credentials stay wrong until someone fixes the secret: not retryable.
    if (!token) throw failure('login', answer, retryableStatus(answer.status));
    await options.tokens.set({ token, issuedAt: now() });
    return token;
  }

  async function refresh(cached: CachedToken): Promise<string> {
    const answer = await call('PATCH', '/auth/refresh', undefined, cached.token);
    const token = tokenOf(answer);
    if (!token) return login();
    await options.tokens.set({ token, issuedAt: now() });
    return token;
  }

  async function currentToken(): Promise<string> {
    const cached = await options.tokens.get();
    if (!cached) return login();
    return now() - cached.issuedAt >= REFRESH_AFTER_MS ? refresh(cached) : cached.token;
  }

  async function sendWith(token: string, message: SmsMessage): Promise<Answer> {
    return call(
      'POST',
      '/message/sms/send',
      {
        mobile_phone: eskizPhone(message.to),
        message: message.text,
        from: options.from,
        ...(options.callbackUrl ? { callback_url: options.callbackUrl } : {}),
      },
      token,
    );
  }

  return {
    kind: 'eskiz',
    async send(message: SmsMessage): Promise<SentSms> {
      let answer = await sendWith(await currentToken(), message);
      if (answer.status === 401) {
        // Expired or revoked: log in again, once.
        await options.tokens.clear();
        answer = await sendWith(await login(), message);
      }
      const id = answer.body.id;
      if (answer.status !== 200 && answer.status !== 201) throw failure('send', answer);
      if ((typeof id !== 'string' && typeof id !== 'number') || id === '') throw failure('send (no id)', answer, true);
      return { id: String(id) };
    },
  };
}

/** The token cache in Redis, under `key`; it expires with the token. */
export function redisTokenStore(redis: { get: <T>(k: string) => Promise<T | null>; set: (k: string, v: string, o: { px: number }) => Promise<unknown>; del: (k: string) => Promise<unknown> }, key: string): EskizTokenStore {
  return {
    async get() {
      const value = await redis.get<CachedToken | string>(key);
      if (!value) return undefined;
      return typeof value === 'string' ? (JSON.parse(value) as CachedToken) : value;
    },
    async set(token) {
      await redis.set(key, JSON.stringify(token), { px: 30 * 24 * 3600 * 1000 });
    },
    async clear() {
      await redis.del(key);
    },
  };
}
