import { z } from '@hono/zod-openapi';
import { apiProblems } from '../../../shared/openapi';
import { defineRoute } from '../../../shared/route';
import { METHODS } from './protocol';

const Localized = z.object({ uz: z.string(), ru: z.string(), en: z.string() }).openapi({ description: "The error in the payer's three languages" });

export const PaymeAnswer = z
  .object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]).openapi({ description: 'The id of the call it answers' }),
    result: z.unknown().optional().openapi({ description: "The method's result (see Payme's documentation of each method)" }),
    error: z
      .object({
        code: z.number().int().openapi({ example: -31050 }),
        message: Localized,
        data: z.unknown().optional().openapi({ description: 'For -31050…-31099: the account field; for -32601: the method' }),
      })
      .optional(),
  })
  .openapi('PaymeAnswer');

/** Documented only: the body is read raw, so malformed JSON is Payme's -32700 and not a 400. */
const requestSchema = {
  type: 'object' as const,
  required: ['method', 'params'],
  properties: {
    jsonrpc: { type: 'string' as const, enum: ['2.0'] },
    id: { type: 'integer' as const, description: "Payme's call id, echoed in the answer" },
    method: { type: 'string' as const, enum: [...METHODS] },
    params: { type: 'object' as const, description: "The method's parameters (amount in tiyin, account, id, time, reason, from/to)" },
  },
  example: { jsonrpc: '2.0', id: 1, method: 'CheckPerformTransaction', params: { amount: 500000, account: { order_id: '0b8f3c1e-8c1a-4a57-9d0e-1c2b3a4d5e6f' } } },
};

export const paymeRoute = defineRoute({
  method: 'post',
  path: '/',
  // Not a bearer token: Payme authenticates with Basic auth `Paycom:<PAYME_KEY>`, checked by the handler.
  auth: 'none',
  tags: ['Payments'],
  summary: 'Payme Merchant API endpoint (called by Payme, not by clients)',
  description:
    "Payme Business calls this with JSON-RPC 2.0 (CheckPerformTransaction, CreateTransaction, PerformTransaction, CancelTransaction, " +
    'CheckTransaction, GetStatement), authenticated with HTTP Basic `Paycom:<PAYME_KEY>`. It always answers HTTP 200: refusals are ' +
    "Payme's error codes with uz/ru/en messages (-32504 bad credentials, -32700 unparseable, -32600 invalid, -32601 unknown method, " +
    '-31001 wrong amount, -31003 unknown transaction, -31007 cannot cancel, -31008 cannot perform, -31050…-31052 order problems). ' +
    'Amounts are tiyin; the account field (PAYME_ACCOUNT_FIELD, default `order_id`) carries the order id. Register ' +
    '`https://<host>/api/v1/payments/payme` as the endpoint in the Payme Business cabinet (docs/payments-payme.md).',
  request: {
    headers: z.object({ authorization: z.string().optional().openapi({ description: 'Basic base64(Paycom:<key>)' }) }),
    body: { content: { 'application/json': { schema: requestSchema } }, required: true },
  },
  responses: {
    200: { description: 'A JSON-RPC answer: `result`, or `error` with a Payme error code', content: { 'application/json': { schema: PaymeAnswer } } },
    // What the platform itself can answer before the call reaches Payme's protocol (an oversized body, an outage).
    ...apiProblems,
  },
});
