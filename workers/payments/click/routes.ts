import { z } from '@hono/zod-openapi';
import { apiProblems, json } from '../../../shared/openapi';
import { defineRoute } from '../../../shared/route';

const tags = ['Payment providers'];
const FORM = 'application/x-www-form-urlencoded';
/** Click posts form-encoded; the same fields as multipart are read alike. */
const MULTIPART = 'multipart/form-data';

const id = (description: string, example: string) => z.string().regex(/^\d+$/).openapi({ description, example });

/** What Click posts on both stages (https://docs.click.uz/en/click-api-request/); every value is a string on the wire. */
const ClickFields = {
  click_trans_id: id('Click transaction (attempt) id, bigint', '2338245621'),
  service_id: id('Our service id at Click (CLICK_SERVICE_ID)', '77001'),
  click_paydoc_id: id('Click payment id, shown to the buyer; the merchant API calls it payment_id', '2689352112'),
  merchant_trans_id: z.string().min(1).max(255).openapi({ description: 'Our order id (the checkout URL’s transaction_param)', example: '0193b6f4-8c1e-7a51-9d2c-5e2f7b1a4c3d' }),
  amount: z.string().openapi({ description: 'Amount in sum, at most two decimals (converted exactly to tiyin)', example: '150000.00' }),
  error: z.string().openapi({ description: 'Click’s status: 0 success; negative: the payment failed at Click (Complete then cancels)', example: '0' }),
  error_note: z.string().optional().openapi({ description: 'Click’s wording of `error`', example: 'Success' }),
  sign_time: z.string().openapi({ description: 'YYYY-MM-DD HH:mm:ss, part of the signature', example: '2026-12-03 10:00:00' }),
  sign_string: z.string().openapi({ description: 'md5 over the documented fields and the secret key (hex)', example: '8e2f…' }),
};

export const ClickPrepareForm = z
  .object({ ...ClickFields, action: z.string().openapi({ description: '0 for Prepare', example: '0' }) })
  .openapi('ClickPrepareForm', {
    description: 'Prepare: sign_string = md5(click_trans_id + service_id + SECRET_KEY + merchant_trans_id + amount + action + sign_time).',
  });

export const ClickCompleteForm = z
  .object({
    ...ClickFields,
    action: z.string().openapi({ description: '1 for Complete', example: '1' }),
    merchant_prepare_id: id('The id we answered at Prepare', '1042'),
  })
  .openapi('ClickCompleteForm', {
    description:
      'Complete: sign_string = md5(click_trans_id + service_id + SECRET_KEY + merchant_trans_id + merchant_prepare_id + amount + action + sign_time).',
  });

const ERROR_TABLE =
  '`error` is 0 on success, else one of Click’s documented codes (https://docs.click.uz/en/click-api-error/): ' +
  '-1 SIGN CHECK FAILED!, -2 Incorrect parameter amount, -3 Action not found, -4 Already paid, -5 User does not exist (no such order), ' +
  '-6 Transaction does not exist, -7 Failed to update user, -8 Error in request from click (missing or malformed fields), -9 Transaction cancelled.';

const answer = (idField: 'merchant_prepare_id' | 'merchant_confirm_id', description: string) =>
  z
    .object({
      click_trans_id: z.union([z.number().int(), z.string()]).optional().openapi({ description: 'Echo of click_trans_id (digits as a string only past 2^53)' }),
      merchant_trans_id: z.string().optional().openapi({ description: 'Echo of merchant_trans_id (our order id)' }),
      [idField]: z.number().int().nullable().optional().openapi({ description }),
      error: z.number().int().openapi({ description: ERROR_TABLE, example: 0 }),
      error_note: z.string().openapi({ description: 'The note Click documents for `error`', example: 'Success' }),
    })
    .openapi(idField === 'merchant_prepare_id' ? 'ClickPrepareAnswer' : 'ClickCompleteAnswer');

const AUTH_NOTE =
  'Called by Click, not by clients: no bearer token and no rate limit; the request is authenticated by its `sign_string` alone ' +
  '(compared in constant time). Every outcome is HTTP 200 with a JSON body in Click’s format, as Click expects; a request that fails ' +
  'the signature changes nothing. Register this URL in Click’s merchant cabinet (docs/payments-click.md).';

export const prepare = defineRoute({
  method: 'post',
  path: '/prepare',
  auth: 'none',
  tags,
  summary: 'Click SHOP-API Prepare (action 0)',
  description:
    `${AUTH_NOTE}\n\nChecks the order (merchant_trans_id) and the amount and records Click’s transaction as prepared; ` +
    'a repeated Prepare of the same click_trans_id answers the same merchant_prepare_id. A paid order is -4, a cancelled or expired one -9.',
  request: { body: { content: { [FORM]: { schema: ClickPrepareForm }, [MULTIPART]: { schema: ClickPrepareForm } }, required: true } },
  responses: {
    200: { description: 'Click’s answer (every outcome, errors included)', ...json(answer('merchant_prepare_id', 'Our id of the prepared transaction; Click sends it back on Complete')) },
    // Only before Click's format applies (a body too large, not a form, malformed JSON), or our side is down (Click retries).
    ...apiProblems,
  },
});

export const complete = defineRoute({
  method: 'post',
  path: '/complete',
  auth: 'none',
  tags,
  summary: 'Click SHOP-API Complete (action 1)',
  description:
    `${AUTH_NOTE}\n\nerror=0: Click charged the buyer; the order becomes paid. A negative error: the charge failed at Click; the ` +
    'transaction is cancelled and the answer is -9, as Click documents. A repeated Complete of a confirmed transaction answers -4 ' +
    '(already paid), of a cancelled one -9; a Complete for an order we closed meanwhile (cancelled or expired) is -9 and takes no money.',
  request: { body: { content: { [FORM]: { schema: ClickCompleteForm }, [MULTIPART]: { schema: ClickCompleteForm } }, required: true } },
  responses: {
    200: { description: 'Click’s answer (every outcome, errors included)', ...json(answer('merchant_confirm_id', 'Our id of the confirmed transaction')) },
    ...apiProblems,
  },
});
