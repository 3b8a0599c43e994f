/** Eskiz's wire shapes and parsing, for the stand-in (scripts/stack/eskiz-standin.ts). Dev/test tooling only. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface StandinSms {
  id: string;
  messageId: string;
  phone: string;
  message: string;
  from: string;
  callbackUrl: string | null;
  createdAt: string;
}

export interface EskizReport {
  request_id: string;
  message_id: string;
  user_sms_id: string;
  country: string;
  phone_number: string;
  sms_count: string;
  status: string;
  status_date: string;
}

export interface EskizFailureRule {
  phone?: string;
  count?: number;
  status?: number;
  report?: 'UNDELIV' | 'EXPIRED' | 'REJECTD' | 'none';
}

export const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
export const digits = (phone: string) => phone.replace(/\D/g, '');
/** Eskiz's date format in reports: 2021-04-02 00:39:36 (Tashkent time). */
export const statusDate = (d: Date) => new Date(d.getTime() + 5 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
/** GSM-7 parts of 160 characters, UCS-2 (anything else, e.g. Cyrillic) of 70; longer texts in 153/67-character parts. */
export const partsOf = (message: string) => {
  const gsm = /^[\x20-\x7E\n\r]*$/.test(message);
  const [one, many] = gsm ? [160, 153] : [70, 67];
  return message.length <= one ? 1 : Math.ceil(message.length / many);
};

export async function formOf(req: IncomingMessage, raw: string): Promise<Record<string, string>> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    const parsed = JSON.parse(raw || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
  }
  if (!type.includes('multipart/form-data') && !type.includes('application/x-www-form-urlencoded')) return {};
  const form = await new Request('http://standin/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
  return Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}
