import type { Catalog, Locale } from './types';

/** "A parcel is ready at the pickup point" (docs/marketplace.md), one block per language, spread into each catalog. */
type PickupCopy = Pick<Catalog['copy'], 'seller_order.ready_for_pickup'>;

export const pickupCopy: Record<Locale, PickupCopy> = {
  en: {
    'seller_order.ready_for_pickup': ({ number, pickupPoint = '', pickupCode = '' }) => ({
      title: 'Ready for pickup',
      body: `Your parcel of order ${number} is waiting at ${pickupPoint}. Pickup code: ${pickupCode}`,
      subject: `Your order ${number} is ready for pickup`,
      lines: [`Your parcel of order ${number} is waiting for you at ${pickupPoint}.`, `Give this code at the point: ${pickupCode}`],
    }),
  },
  uz: {
    'seller_order.ready_for_pickup': ({ number, pickupPoint = '', pickupCode = '' }) => ({
      title: 'Olib ketishga tayyor',
      body: `${number} buyurtmangiz posilkasi sizni kutmoqda: ${pickupPoint}. Olish kodi: ${pickupCode}`,
      subject: `${number} buyurtmangiz olib ketishga tayyor`,
      lines: [`${number} buyurtmangiz posilkasi topshirish punktida sizni kutmoqda: ${pickupPoint}.`, `Punktda ushbu kodni ayting: ${pickupCode}`],
    }),
  },
  ru: {
    'seller_order.ready_for_pickup': ({ number, pickupPoint = '', pickupCode = '' }) => ({
      title: 'Можно забирать',
      body: `Посылка по заказу ${number} ждёт вас: ${pickupPoint}. Код получения: ${pickupCode}`,
      subject: `Ваш заказ ${number} можно забрать`,
      lines: [`Посылка по заказу ${number} ждёт вас в пункте выдачи: ${pickupPoint}.`, `Назовите в пункте код: ${pickupCode}`],
    }),
  },
};
