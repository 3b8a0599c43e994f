/** What the composition root (queue dispatcher) may use from notifications: its queue consumers. */
export { notificationConsumers } from './consumer';
/**
 * What the auth domain may use: send a one-time code by SMS, within the SMS
 * budget (503 SMS_BUDGET_EXHAUSTED / SMS_UNAVAILABLE when it cannot).
 */
export { ONE_TIME_CODE_EVENT, type OneTimeCodeInput, sendOneTimeCode } from './one-time-code';
export { ONE_TIME_CODE_PURPOSES, type OneTimeCodePurpose } from './templates/sms';
