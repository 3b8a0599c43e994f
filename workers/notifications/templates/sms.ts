import type { Locale, NotifiedEvent, TemplateVars } from './types';

/**
 * Every SMS text, in ONE place. Eskiz moderates SMS text: each template below
 * (with its placeholders as Eskiz's template syntax writes them, see
 * docs/notifications.md) must be submitted in the Eskiz cabinet (or POST
 * /user/template) and approved before production sends it; an unregistered
 * text is refused or sent as advertising. Change a text here → register it
 * again before deploying. Keep them short: Latin text fits 160 characters per
 * part, Cyrillic (ru) only 70.
 */

/** Why a one-time code is sent (the phone sign-in flow's purposes). */
export const ONE_TIME_CODE_PURPOSES = ['sign_in', 'verify_phone'] as const;
export type OneTimeCodePurpose = (typeof ONE_TIME_CODE_PURPOSES)[number];

/** The events a shopper can have by SMS (docs/notifications.md lists why these). */
export const SMS_EVENTS = ['order.paid', 'seller_order.shipped', 'seller_order.ready_for_pickup', 'seller_order.delivered'] as const satisfies readonly NotifiedEvent[];
export type SmsEvent = (typeof SMS_EVENTS)[number];
export const isSmsEvent = (type: string): type is SmsEvent => (SMS_EVENTS as readonly string[]).includes(type);

export interface CodeVars {
  code: string;
  minutes: number;
}

type SmsCatalog = {
  one_time_code: Record<OneTimeCodePurpose, (v: CodeVars) => string>;
  events: Record<SmsEvent, (v: TemplateVars) => string>;
};

const withTracking = (text: string, tracking: string) => (tracking ? `${text} ${tracking}` : text);

/** The pickup point's name at most this long in an SMS (cut, without an ellipsis: "…" is not GSM-7 and would halve a part). */
const POINT_NAME_MAX = 30;
/** A longer pickup code is left out of the SMS (the email and the in-app row carry it): two parts at most. */
const PICKUP_CODE_MAX = 24;
const pointName = (v: TemplateVars) => (v.pickupPointName ?? '').slice(0, POINT_NAME_MAX).trim();
const withCode = (text: string, label: string, code = '') => (code && code.length <= PICKUP_CODE_MAX ? `${text} ${label}: ${code}` : text);

export const SMS_TEMPLATES: Record<Locale, SmsCatalog> = {
  uz: {
    one_time_code: {
      sign_in: (v) => `UltraMarket: kirish kodi ${v.code}. ${v.minutes} daqiqa amal qiladi. Kodni hech kimga bermang.`,
      verify_phone: (v) => `UltraMarket: telefon raqamingizni tasdiqlash kodi ${v.code}. Kodni hech kimga bermang.`,
    },
    events: {
      'order.paid': (v) => `UltraMarket: ${v.orderId} buyurtmasi uchun ${v.total} to'lov qabul qilindi.`,
      'seller_order.shipped': (v) => withTracking(`UltraMarket: ${v.number} buyurtmangiz jo'natildi.`, v.tracking),
      'seller_order.ready_for_pickup': (v) => withCode(`UltraMarket: ${v.number} buyurtmangiz ${pointName(v)} topshirish punktida kutmoqda.`, 'Kod', v.pickupCode),
      'seller_order.delivered': (v) => `UltraMarket: ${v.number} buyurtmangiz yetkazildi. Xaridingiz uchun rahmat!`,
    },
  },
  ru: {
    one_time_code: {
      sign_in: (v) => `UltraMarket: код входа ${v.code}, действует ${v.minutes} мин. Никому не сообщайте.`,
      verify_phone: (v) => `UltraMarket: код подтверждения номера ${v.code}. Никому не сообщайте.`,
    },
    events: {
      'order.paid': (v) => `UltraMarket: оплата заказа ${v.orderId} (${v.total}) получена.`,
      'seller_order.shipped': (v) => withTracking(`UltraMarket: заказ ${v.number} отправлен.`, v.tracking),
      'seller_order.ready_for_pickup': (v) => withCode(`UltraMarket: заказ ${v.number} ждёт вас в пункте выдачи ${pointName(v)}.`, 'Код', v.pickupCode),
      'seller_order.delivered': (v) => `UltraMarket: заказ ${v.number} доставлен. Спасибо за покупку!`,
    },
  },
  en: {
    one_time_code: {
      sign_in: (v) => `UltraMarket: your sign-in code is ${v.code}. It expires in ${v.minutes} min. Never share it.`,
      verify_phone: (v) => `UltraMarket: your phone verification code is ${v.code}. Never share it.`,
    },
    events: {
      'order.paid': (v) => `UltraMarket: payment of ${v.total} for order ${v.orderId} received.`,
      'seller_order.shipped': (v) => withTracking(`UltraMarket: your order ${v.number} has shipped.`, v.tracking),
      'seller_order.ready_for_pickup': (v) => withCode(`UltraMarket: your order ${v.number} is ready for pickup at ${pointName(v)}.`, 'Code', v.pickupCode),
      'seller_order.delivered': (v) => `UltraMarket: your order ${v.number} was delivered. Thank you!`,
    },
  },
};

export const renderCodeSms = (purpose: OneTimeCodePurpose, locale: Locale, vars: CodeVars) => SMS_TEMPLATES[locale].one_time_code[purpose](vars);
export const renderEventSms = (type: SmsEvent, locale: Locale, vars: TemplateVars) => SMS_TEMPLATES[locale].events[type](vars);
