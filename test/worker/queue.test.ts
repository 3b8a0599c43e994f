import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../../workers/index';
import { type QueueEvent, queueHandlers, retryDelaySeconds } from '../../workers/queue';
import { testEnv } from '../support/app';

describe('queue consumer', () => {
  afterEach(() => {
    delete queueHandlers['test.ok'];
    delete queueHandlers['test.flaky'];
  });

  it('acks handled messages and retries failed ones with backoff', async () => {
    const seen: string[] = [];
    queueHandlers['test.ok'] = async (event) => void seen.push(event.id);
    queueHandlers['test.flaky'] = async () => {
      throw new Error('provider down');
    };
    const batch = createMessageBatch<QueueEvent>('ultramarket-notifications-dev', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { id: 'e1', type: 'test.ok', payload: {} } },
      { id: 'm2', timestamp: new Date(), attempts: 3, body: { id: 'e2', type: 'test.flaky', payload: {} } },
      { id: 'm3', timestamp: new Date(), attempts: 1, body: { id: 'e3', type: 'test.unknown', payload: {} } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv);
    const result = await getQueueResult(batch, ctx);
    expect(seen).toEqual(['e1']);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm3']);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m2']);
    expect(result.ackAll).toBe(false);
  });

  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 20].map(retryDelaySeconds)).toEqual([20, 40, 80, 3_600]);
  });
});
