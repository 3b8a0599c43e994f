/**
 * Payme Merchant API error codes, with the localized messages Payme shows the
 * payer (uz, ru, en). Codes and their meaning:
 * https://developer.help.paycom.uz/metody-merchant-api/oshibki-errors
 *
 * -31050 … -31099 are ours to assign for problems with the `account` object;
 * for them the localized `message` is mandatory and `data` names the account
 * field (https://developer.help.paycom.uz/metody-merchant-api/checktransaction).
 */

export interface Localized {
  uz: string;
  ru: string;
  en: string;
}

export const PAYME_ERRORS = {
  /** The request is not a POST (Payme only ever POSTs). */
  notPost: { code: -32300, message: { uz: "So'rov usuli POST emas.", ru: 'Метод запроса не POST.', en: 'The request method is not POST.' } },
  parse: { code: -32700, message: { uz: 'JSON tahlilida xatolik.', ru: 'Ошибка парсинга JSON.', en: 'JSON parse error.' } },
  invalidRequest: {
    code: -32600,
    message: {
      uz: "RPC so'rovida majburiy maydonlar yo'q yoki ularning turi noto'g'ri.",
      ru: 'Отсутствуют обязательные поля в RPC-запросе или тип полей не соответствует спецификации.',
      en: 'Required fields are missing from the RPC request or have the wrong type.',
    },
  },
  methodNotFound: { code: -32601, message: { uz: 'Usul topilmadi.', ru: 'Запрашиваемый метод не найден.', en: 'Method not found.' } },
  insufficientPrivilege: {
    code: -32504,
    message: {
      uz: 'Usulni bajarish uchun huquqlar yetarli emas.',
      ru: 'Недостаточно привилегий для выполнения метода.',
      en: 'Insufficient privileges to perform this method.',
    },
  },
  system: { code: -32400, message: { uz: 'Tizim xatosi.', ru: 'Системная ошибка.', en: 'System error.' } },
  wrongAmount: { code: -31001, message: { uz: "Noto'g'ri summa.", ru: 'Неверная сумма.', en: 'Wrong amount.' } },
  transactionNotFound: { code: -31003, message: { uz: 'Tranzaksiya topilmadi.', ru: 'Транзакция не найдена.', en: 'Transaction not found.' } },
  cannotCancel: {
    code: -31007,
    message: {
      uz: "Buyurtma bajarilgan. Tranzaksiyani bekor qilib bo'lmaydi.",
      ru: 'Заказ выполнен. Невозможно отменить транзакцию.',
      en: 'The order has been delivered. The transaction cannot be cancelled.',
    },
  },
  cannotPerform: {
    code: -31008,
    message: { uz: "Ushbu amalni bajarib bo'lmaydi.", ru: 'Невозможно выполнить данную операцию.', en: 'This operation cannot be performed.' },
  },
  orderNotFound: { code: -31050, message: { uz: 'Buyurtma topilmadi.', ru: 'Заказ не найден.', en: 'Order not found.' } },
  orderNotPayable: {
    code: -31051,
    message: {
      uz: "Buyurtmani Payme orqali to'lab bo'lmaydi: u to'langan, bekor qilingan yoki boshqa usulda to'lanadi.",
      ru: 'Заказ нельзя оплатить через Payme: он оплачен, отменён или оплачивается другим способом.',
      en: 'The order cannot be paid with Payme: it is paid, cancelled or paid another way.',
    },
  },
  orderPending: {
    code: -31052,
    message: {
      uz: "Ushbu buyurtma uchun boshqa tranzaksiya to'lovni kutmoqda.",
      ru: 'По этому заказу уже ожидает оплаты другая транзакция.',
      en: 'Another transaction is pending for this order.',
    },
  },
} as const satisfies Record<string, { code: number; message: Localized }>;

export type PaymeErrorName = keyof typeof PAYME_ERRORS;

/** A documented Payme error, answered as `{error: {code, message, data}}` with HTTP 200. */
export class PaymeError extends Error {
  readonly code: number;
  readonly localized: Localized;
  constructor(
    readonly kind: PaymeErrorName,
    readonly data?: unknown,
  ) {
    super(PAYME_ERRORS[kind].message.en);
    this.name = 'PaymeError';
    this.code = PAYME_ERRORS[kind].code;
    this.localized = PAYME_ERRORS[kind].message;
  }
}
