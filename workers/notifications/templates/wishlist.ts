import type { Catalog, Locale } from './types';

/** The wishlist's notifications (docs/wishlists.md), one block per language, spread into each catalog. */
type WishlistEvent = 'wishlist.price_dropped' | 'wishlist.back_in_stock';
type WishlistCopy = Pick<Catalog['copy'], WishlistEvent>;

export const wishlistCopy: Record<Locale, WishlistCopy> = {
  en: {
    'wishlist.price_dropped': ({ product = '', price = '', was = '' }) => ({
      title: 'Price drop on your wishlist',
      body: `${product} now costs ${price} (was ${was}).`,
      subject: `Price drop: ${product}`,
      lines: [`Good news: ${product} from your wishlist now costs ${price} instead of ${was}.`, 'Prices can change again; the price in your cart at checkout is the one you pay.'],
    }),
    'wishlist.back_in_stock': ({ product = '' }) => ({
      title: 'Back in stock',
      body: `${product} from your wishlist is back in stock.`,
      subject: `Back in stock: ${product}`,
      lines: [`${product} from your wishlist can be bought again. Stock may be limited.`],
    }),
  },
  uz: {
    'wishlist.price_dropped': ({ product = '', price = '', was = '' }) => ({
      title: 'Istaklar roʻyxatingizda narx tushdi',
      body: `${product} endi ${price} turadi (avval ${was}).`,
      subject: `Narx tushdi: ${product}`,
      lines: [
        `Xushxabar: istaklar roʻyxatingizdagi ${product} endi ${was} oʻrniga ${price} turadi.`,
        'Narxlar yana oʻzgarishi mumkin; toʻlov paytida savatdagi narx amal qiladi.',
      ],
    }),
    'wishlist.back_in_stock': ({ product = '' }) => ({
      title: 'Yana sotuvda',
      body: `Istaklar roʻyxatingizdagi ${product} yana sotuvda.`,
      subject: `Yana sotuvda: ${product}`,
      lines: [`Istaklar roʻyxatingizdagi ${product} yana sotib olish mumkin. Miqdori cheklangan boʻlishi mumkin.`],
    }),
  },
  ru: {
    'wishlist.price_dropped': ({ product = '', price = '', was = '' }) => ({
      title: 'Цена в вашем списке желаний снизилась',
      body: `${product} теперь стоит ${price} (было ${was}).`,
      subject: `Цена снижена: ${product}`,
      lines: [
        `Хорошие новости: ${product} из вашего списка желаний теперь стоит ${price} вместо ${was}.`,
        'Цены могут снова измениться; при оформлении заказа действует цена в корзине.',
      ],
    }),
    'wishlist.back_in_stock': ({ product = '' }) => ({
      title: 'Снова в продаже',
      body: `${product} из вашего списка желаний снова в продаже.`,
      subject: `Снова в продаже: ${product}`,
      lines: [`${product} из вашего списка желаний снова можно купить. Количество может быть ограничено.`],
    }),
  },
};
