import { en } from './en';
import { ru } from './ru';
import type { Catalog, Locale, NotifiedEvent, TemplateVars } from './types';
import { uz } from './uz';

export { NOTIFIED_EVENTS, type Locale, type NotifiedEvent, type TemplateVars } from './types';

const CATALOGS: Record<Locale, Catalog> = { en, uz, ru };
/** Intl locale per catalog, for money. */
const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', uz: 'uz-Latn-UZ', ru: 'ru-RU' };

/** A user's stored locale ('uz', 'uz-Latn', 'uz_UZ', 'ru-RU', 'en-GB', null…) → the catalog to use; the deployment's DEFAULT_LOCALE when there is none. */
export function resolveLocale(stored: string | null | undefined, fallback: Locale): Locale {
  const language = stored?.trim().toLowerCase().split(/[-_]/)[0];
  return language === 'uz' || language === 'ru' || language === 'en' ? language : fallback;
}

/** Minor units + ISO 4217 code → "$12.50" / "125 000,00 UZS"; the currency's own number of decimals. */
export function formatMoney(amount: number, currency: string, locale: Locale): string {
  try {
    const format = new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    // An unknown currency code: still say how much, unformatted.
    return `${amount} ${currency}`;
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

export interface Rendered {
  locale: Locale;
  /** The in-app notification. */
  title: string;
  body: string;
  /** The email. */
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders one event for one reader. Templates produce plain strings; the
 * layout alone builds the HTML and escapes every value that goes into it, so
 * a user's name or a decline reason can never inject markup.
 */
export function renderNotification(type: NotifiedEvent, locale: Locale, vars: TemplateVars): Rendered {
  const catalog = CATALOGS[locale];
  const copy = catalog.copy[type](vars);
  const greeting = catalog.greeting(vars.name);
  const action = copy.action?.url ? copy.action : undefined;
  const link = action && /^https?:\/\//.test(action.url) ? action.url : undefined;

  const text = [
    greeting,
    ...copy.lines,
    ...(action ? (link ? [`${action.label}: ${link}`] : [`${catalog.codeHint} ${action.url}`]) : []),
    catalog.signature,
  ].join('\n\n');

  const paragraph = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
  const button = link
    ? `<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:#0f766e;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(action?.label ?? '')}</a></p>` +
      paragraph(link)
    : action
      ? `${paragraph(catalog.codeHint)}<p style="margin:0 0 16px;font-family:monospace;font-size:16px">${escapeHtml(action.url)}</p>`
      : '';
  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(copy.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#1f2937;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
    paragraph(greeting),
    ...copy.lines.map(paragraph),
    button,
    paragraph(catalog.signature),
    '</body></html>',
  ].join('');

  return { locale, title: copy.title, body: copy.body, subject: copy.subject, text, html };
}
