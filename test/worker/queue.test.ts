import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../../workers/index';
import { deadLetterHandlers, type QueueEvent, queueHandlers, retryDelaySeconds, subscribe } from '../../workers/queue';
import { testEnv } from '../support/app';

describe('queue consumer', () => {
  afterEach(() => {
    delete queueHandlers['test.ok'];
    delete queueHandlers['test.flaky'];
    delete deadLetterHandlers['test.dead'];
  });

  it('acks handled messages and retries failed ones with backoff', async () => {
    const seen: string[] = [];
    subscribe('test.ok', async (event) => void seen.push(event.id));
    subscribe('test.flaky', async () => {
      throw new Error('provider down');
    });
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

  it('runs every subscriber of a type, and retries the message when one of them fails', async () => {
    const seen: string[] = [];
    subscribe('test.ok', async (event) => void seen.push(`a:${event.id}`));
    subscribe('test.ok', async (event) => {
      seen.push(`b:${event.id}`);
      throw new Error('second consumer down');
    });
    const batch = createMessageBatch<QueueEvent>('ultramarket-notifications-dev', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { id: 'e1', type: 'test.ok', payload: {} } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv);
    const result = await getQueueResult(batch, ctx);
    expect(seen).toEqual(['a:e1', 'b:e1']);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m1']);
  });

  it('hands dead letters to their type\'s dead-letter handler, not to the live consumers', async () => {
    const live: string[] = [];
    const dead: Array<{ id: string; attempts: number }> = [];
    subscribe('test.dead', async (event) => void live.push(event.id));
    deadLetterHandlers['test.dead'] = async (event, _env, delivery) => void dead.push({ id: event.id, attempts: delivery.attempts });
    const batch = createMessageBatch<QueueEvent>('ultramarket-notifications-dlq-dev', [
      { id: 'm1', timestamp: new Date(), attempts: 1, body: { id: 'e1', type: 'test.dead', payload: {} } },
      { id: 'm2', timestamp: new Date(), attempts: 1, body: { id: 'e2', type: 'test.nobody', payload: {} } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv);
    const result = await getQueueResult(batch, ctx);
    expect(live).toEqual([]);
    expect(dead).toEqual([{ id: 'e1', attempts: 1 }]);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2']);
    delete queueHandlers['test.dead'];
  });

  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 20].map(retryDelaySeconds)).toEqual([20, 40, 80, 3_600]);
  });
});
