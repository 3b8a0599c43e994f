import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startStack, type StackBindings } from '../scripts/stack';
import { startEmailStandin } from '../scripts/stack/email-standin';
import { startNeonHttp } from '../scripts/stack/neon-http';
import { startWsProxy } from '../scripts/stack/ws-proxy';
import { startStripeInbox } from './support/stripe-inbox';
import { startWebhookReceiver } from './support/webhook-receiver';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackBindings & { STACK_MODE: string; STRIPE_INBOX_URL: string; EMAIL_STANDIN_URL: string; EMAIL_STANDIN_KEY: string; ESKIZ_STANDIN_URL: string; ESKIZ_STANDIN_EMAIL: string; ESKIZ_STANDIN_PASSWORD: string; WEBHOOK_RECEIVER_URL: string; LOSSY_NEON_WS_PROXY: string; LOSSY_NEON_HTTP_ENDPOINT: string };
  }
}

/**
 * Starts the local stack once for the Worker tests: embedded PGlite and
 * in-memory Redis by default; a scratch database on TEST_DATABASE_URL's server
 * and a key prefix on TEST_REDIS_URL when they are set. Everything is removed
 * when the run ends.
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const stack = await startStack({
    scratchDatabaseOn: process.env.TEST_DATABASE_URL,
    redisUrl: process.env.TEST_REDIS_URL,
    redisKeyPrefix: `test:${runId}:`,
  });
  const mode = `${stack.postgres.kind === 'embedded' ? 'pglite' : 'postgres'}+${stack.redisBackend}`;
  console.log(`[test stack] ${mode}`);
  const inbox = stack.stripe ? await startStripeInbox(stack.stripe) : undefined;
  // The transactional-email API's stand-in: only tests that choose the HTTP provider point EMAIL_PROVIDER_URL at it.
  const email = await startEmailStandin();
  // An integrator's endpoint for outgoing webhook tests (test/worker/webhooks).
  const receiver = await startWebhookReceiver();
  // A second way to the same database that cuts marked statements' answers after they commit (test/worker/faults).
  const lossy = await startWsProxy({ loseMarkedAnswers: true });
  const lossyHttp = await startNeonHttp({ loseMarkedAnswers: true });
  project.provide('stack', {
    ...stack.bindings,
    STACK_MODE: mode,
    STRIPE_INBOX_URL: inbox?.url ?? '',
    EMAIL_STANDIN_URL: email.url,
    EMAIL_STANDIN_KEY: email.apiKey,
    // The Eskiz stand-in the stack started: only tests that choose the Eskiz provider point ESKIZ_* at it.
    ESKIZ_STANDIN_URL: stack.eskiz?.url ?? '',
    ESKIZ_STANDIN_EMAIL: stack.eskiz?.email ?? '',
    ESKIZ_STANDIN_PASSWORD: stack.eskiz?.password ?? '',
    WEBHOOK_RECEIVER_URL: receiver.url,
    LOSSY_NEON_WS_PROXY: lossy.address,
    LOSSY_NEON_HTTP_ENDPOINT: lossyHttp.url,
  });
  return async () => {
    await lossy.close();
    await lossyHttp.close();
    await inbox?.close();
    await email.close();
    await receiver.close();
    await stack.close();
  };
}
