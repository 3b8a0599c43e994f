/** Currencies, minimum charge amounts and money formatting for Stripe-like error messages. */
import { paramError } from './errors';

/** Currencies that have no minor unit: amounts are whole units (¥500 is amount=500). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/**
 * A subset of the presentment currencies Stripe supports (the common ones); the
 * minimum charge amounts, in minor units, are Stripe's published ones where we
 * list them, otherwise 50 minor units.
 */
const MINIMUM_AMOUNT: Record<string, number> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200,
  sek: 300, sgd: 50, thb: 1000,
};

// UZS is a Stripe presentment currency (https://docs.stripe.com/currencies): the demo store sells in it.
const OTHER_CURRENCIES = [
  'uzs', 'ars', 'bif', 'clp', 'cny', 'cop', 'crc', 'djf', 'egp', 'gnf', 'idr', 'ils', 'isk', 'kes', 'kmf', 'krw', 'kzt',
  'mad', 'mga', 'ngn', 'pen', 'php', 'pkr', 'pyg', 'qar', 'rwf', 'sar', 'try', 'twd', 'uah', 'ugx', 'uyu', 'vnd',
  'vuv', 'xaf', 'xof', 'xpf', 'zar',
];

export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set([...Object.keys(MINIMUM_AMOUNT), ...OTHER_CURRENCIES]);

/** Stripe caps amounts at eight digits. */
export const MAXIMUM_AMOUNT = 99_999_999;

const SYMBOL: Record<string, string> = { usd: '$', aud: 'A$', cad: 'CA$', nzd: 'NZ$', sgd: 'S$', hkd: 'HK$', eur: '€', gbp: '£', jpy: '¥', inr: '₹', chf: 'CHF ' };

/** `$0.50`, `€12.00`, `¥500`, `15.00 czk`: how Stripe's messages print amounts. */
export function formatAmount(amount: number, currency: string): string {
  const zeroDecimal = ZERO_DECIMAL.has(currency);
  const value = zeroDecimal ? String(amount) : (amount / 100).toFixed(2);
  const symbol = SYMBOL[currency];
  return symbol ? `${symbol}${value}` : `${value} ${currency}`;
}

/** Validates and normalises a currency parameter (Stripe accepts any case and answers in lower case). */
export function parseCurrency(raw: string, param = 'currency'): string {
  const currency = raw.toLowerCase();
  if (!SUPPORTED_CURRENCIES.has(currency)) {
    throw paramError(`Invalid currency: ${raw}. Stripe currently supports these currencies: ${[...SUPPORTED_CURRENCIES].sort().join(', ')}`, {
      code: 'parameter_invalid_string',
      param,
    });
  }
  return currency;
}

/** The charge-amount bounds Stripe enforces when a PaymentIntent is created or its amount changes. */
export function checkChargeAmount(amount: number, currency: string): void {
  const minimum = MINIMUM_AMOUNT[currency] ?? 50;
  if (amount < minimum) {
    throw paramError(`Amount must be at least ${formatAmount(minimum, currency)} ${currency}`, { code: 'amount_too_small', param: 'amount' });
  }
  if (amount > MAXIMUM_AMOUNT) {
    throw paramError(`Amount must be no more than ${formatAmount(MAXIMUM_AMOUNT, currency)}`, { code: 'amount_too_large', param: 'amount' });
  }
}
