/**
 * The SMS provider contract: one set of expectations every SmsProvider
 * implementation passes — the Eskiz client against the Eskiz stand-in
 * (test/node/eskiz-standin.test.ts) and the local outbox
 * (test/worker/notifications/sms.test.ts). `sent` reads back what the
 * implementation delivered (the stand-in's outbox, or dev_sms).
 */
import { describe, expect, it } from 'vitest';
import { SmsSendFailed, type SmsProvider } from '../../../shared/sms/provider';

export interface SmsContractOptions {
  name: string;
  provider(): SmsProvider;
  /** What reached `phone` (E.164), newest first. */
  sent(phone: string): Promise<Array<{ text: string }>>;
  /** A fresh number per test, so runs sharing a store do not see each other's SMS. */
  phone(): string;
}

const key = () => crypto.randomUUID();

export function smsProviderContract(options: SmsContractOptions): void {
  describe(`SMS provider contract: ${options.name}`, () => {
    it('sends the text to the number and answers an id', async () => {
      const phone = options.phone();
      const sent = await options.provider().send({ to: phone, text: 'UltraMarket: kirish kodi 123456.', idempotencyKey: key() });
      expect(sent.id).toMatch(/\S/);
      expect((await options.sent(phone)).map((s) => s.text)).toEqual(['UltraMarket: kirish kodi 123456.']);
    });

    it('keeps Cyrillic and apostrophes intact, and gives each SMS its own id', async () => {
      const phone = options.phone();
      const provider = options.provider();
      const a = await provider.send({ to: phone, text: 'UltraMarket: код входа 654321.', idempotencyKey: key() });
      const b = await provider.send({ to: phone, text: "UltraMarket: buyurtmangiz jo'natildi.", idempotencyKey: key() });
      expect(a.id).not.toBe(b.id);
      expect((await options.sent(phone)).map((s) => s.text)).toEqual(["UltraMarket: buyurtmangiz jo'natildi.", 'UltraMarket: код входа 654321.']);
    });

    it('refuses a number that is not one, for good (not retryable), and sends nothing', async () => {
      const error = await options
        .provider()
        .send({ to: '+99890', text: 'UltraMarket: test', idempotencyKey: key() })
        .catch((err: unknown) => err);
      expect(error).toBeInstanceOf(SmsSendFailed);
      expect((error as SmsSendFailed).retryable).toBe(false);
      expect(await options.sent('+99890')).toEqual([]);
    });
  });
}
