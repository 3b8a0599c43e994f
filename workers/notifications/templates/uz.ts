import type { Catalog } from './types';
import { pickupCopy } from './pickup';
import { wishlistCopy } from './wishlist';

/** Uzbek (Latin script), also served to uz-Cyrl readers until a Cyrillic catalog exists. */
export const uz: Catalog = {
  greeting: (name) => `Assalomu alaykum, ${name}!`,
  signature: '— UltraMarket jamoasi',
  codeHint: 'Tugma ishlamasa, ushbu koddan foydalaning:',
  copy: {
    'user.registered': () => ({
      title: 'UltraMarketga xush kelibsiz',
      body: 'Hisobingiz tayyor. Xaridlaringiz maroqli o‘tsin!',
      subject: 'UltraMarketga xush kelibsiz',
      lines: ['Hisobingiz tayyor. Katalogni ko‘ring, savatni to‘ldiring va bir necha bosishda buyurtma bering.'],
    }),
    'auth.verify_email': (v) => ({
      title: 'Elektron pochtangizni tasdiqlang',
      body: 'Elektron pochtangizni tasdiqlash uchun havola yubordik.',
      subject: 'Elektron pochtangizni tasdiqlang',
      lines: ['Iltimos, bu sizning elektron pochtangiz ekanini tasdiqlang. Havola 24 soat amal qiladi.'],
      action: { label: 'Pochtani tasdiqlash', url: v.link },
    }),
    'auth.password_reset_requested': (v) => ({
      title: 'Parolni tiklash so‘raldi',
      body: 'Yangi parol tanlash uchun havola yubordik.',
      subject: 'Parolni tiklash',
      lines: [
        'Kimdir (umid qilamizki, siz) parolingizni tiklashni so‘radi. Havola bir soat amal qiladi.',
        'Agar bu siz bo‘lmasangiz, xatni e’tiborsiz qoldiring: parolingiz o‘zgarmaydi.',
      ],
      action: { label: 'Yangi parol tanlash', url: v.link },
    }),
    'auth.password_changed': () => ({
      title: 'Parolingiz o‘zgartirildi',
      body: 'Agar bu siz bo‘lmasangiz, parolni darhol tiklang.',
      subject: 'Parolingiz o‘zgartirildi',
      lines: ['Hisobingiz paroli hozirgina o‘zgartirildi va boshqa seanslar yopildi.', 'Agar bu siz bo‘lmasangiz, parolni darhol tiklang.'],
    }),
    'order.placed': (v) => ({
      title: 'Buyurtma qabul qilindi',
      body: `${v.orderId} buyurtmasi (${v.total}) to‘lovni kutmoqda.`,
      subject: 'Buyurtmangiz qabul qilindi',
      lines: [`Rahmat! ${v.orderId} buyurtmasi (${v.total}) to‘lovni kutmoqda.`],
    }),
    'order.paid': (v) => ({
      title: 'To‘lov qabul qilindi',
      body: `${v.orderId} buyurtmasi to‘landi (${v.total}).`,
      subject: 'Buyurtmangiz to‘landi',
      lines: [`${v.orderId} buyurtmasi uchun ${v.total} to‘lovingiz qabul qilindi. Jo‘natilganda xabar beramiz.`],
    }),
    'order.processing': (v) => ({
      title: 'Buyurtma tayyorlanmoqda',
      body: `${v.orderId} buyurtmasi tayyorlanmoqda.`,
      subject: 'Buyurtmangiz tayyorlanmoqda',
      lines: [`${v.orderId} buyurtmasi qadoqlanmoqda.`],
    }),
    'order.shipped': (v) => ({
      title: 'Buyurtma jo‘natildi',
      body: `${v.orderId} buyurtmasi yo‘lda.`,
      subject: 'Buyurtmangiz jo‘natildi',
      lines: [`Xushxabar: ${v.orderId} buyurtmasi sizga yo‘l oldi.`],
    }),
    'order.delivered': (v) => ({
      title: 'Buyurtma yetkazildi',
      body: `${v.orderId} buyurtmasi yetkazildi.`,
      subject: 'Buyurtmangiz yetkazildi',
      lines: [`${v.orderId} buyurtmasi yetkazildi. Yoqimli foydalaning!`],
    }),
    'order.cancelled': (v) => ({
      title: 'Buyurtma bekor qilindi',
      body: `${v.orderId} buyurtmasi bekor qilindi.`,
      subject: 'Buyurtmangiz bekor qilindi',
      lines: [`${v.orderId} buyurtmasi (${v.total}) bekor qilindi. To‘lagan bo‘lsangiz, pul sizga qaytariladi.`],
    }),
    'order.refunded': (v) => ({
      title: 'Pul qaytarildi',
      body: `${v.orderId} buyurtmasi uchun pul qaytarildi (${v.total}).`,
      subject: 'Buyurtmangiz uchun pul qaytarildi',
      lines: [`${v.orderId} buyurtmasi uchun ${v.total} qaytarildi. Bankingizda ko‘rinishi bir necha kun olishi mumkin.`],
    }),
    'order.partially_refunded': (v) => ({
      title: 'Pulning bir qismi qaytarildi',
      body: `${v.orderId} buyurtmasi uchun pulning bir qismi qaytarildi.`,
      subject: 'Buyurtmangiz uchun pulning bir qismi qaytarildi',
      lines: [`${v.orderId} buyurtmasi uchun to‘lovning bir qismi qaytarildi. Bankingizda ko‘rinishi bir necha kun olishi mumkin.`],
    }),
    'payment.failed': (v) => ({
      title: 'To‘lov amalga oshmadi',
      body: `${v.orderId} buyurtmasi uchun to‘lov rad etildi.`,
      subject: 'To‘lovingiz amalga oshmadi',
      lines: [
        `${v.orderId} buyurtmasi uchun ${v.total} to‘lov rad etildi: ${v.reason}.`,
        'Buyurtmangiz hali ochiq: boshqa karta bilan qayta urinib ko‘ring.',
      ],
    }),
    'seller_order.paid': (v) => ({
      title: 'Yangi to‘langan buyurtma',
      body: `${v.number} buyurtmasi to‘landi (${v.total}): uni tayyorlash vaqti keldi.`,
      subject: `Yuboriladigan yangi buyurtma: ${v.number}`,
      lines: [`${v.number} buyurtmasi to‘landi: sizning qismingiz ${v.total}.`, 'Mahsulotlar va yetkazish manzilini sotuvchi buyurtmalaringizda ko‘ring.'],
    }),
    'seller_order.shipped': (v) => ({
      title: 'Posilka yo‘lda',
      body: `${v.number} buyurtmasining posilkasi jo‘natildi. ${v.tracking}`,
      subject: `${v.number} buyurtmangiz: posilka jo‘natildi`,
      lines: [`${v.number} buyurtmasining posilkasi sizga yo‘lda.`, v.tracking],
    }),
    'seller_order.delivered': (v) => ({
      title: 'Yetkazildi',
      body: `${v.number} buyurtmasidagi mahsulotlaringiz yetkazildi.`,
      subject: `${v.number} buyurtmangiz yetkazildi`,
      lines: [`${v.number} buyurtmasidagi mahsulotlaringiz (${v.total}) yetkazildi. Xaridingiz muborak!`],
    }),
    'seller_order.cancelled': (v) => ({
      title: 'Buyurtma bekor qilindi',
      body: `${v.number} buyurtmasidagi qismingiz bekor qilindi: uni jo‘natmang.`,
      subject: `${v.number} buyurtmasi bekor qilindi`,
      lines: [`${v.number} buyurtmasidagi qismingiz (${v.total}) jo‘natilishidan oldin bekor qilindi. Iltimos, uni jo‘natmang.`],
    }),
    'return.requested': (v) => ({
      title: 'Qaytarish so‘rovi',
      body: `Xaridor ${v.number} buyurtmasidagi mahsulotlarni qaytarishni so‘radi.`,
      subject: `${v.number} buyurtmasi bo‘yicha qaytarish so‘rovi`,
      lines: [`Xaridor ${v.number} buyurtmasidagi mahsulotlarni qaytarishni so‘radi: ${v.reason}`, 'So‘rovni sotuvchi panelida tasdiqlang yoki rad eting.'],
    }),
    'return.approved': (v) => ({
      title: 'Qaytarish tasdiqlandi',
      body: `${v.number} buyurtmasi bo‘yicha qaytarishingiz tasdiqlandi.`,
      subject: 'Qaytarishingiz tasdiqlandi',
      lines: [`${v.number} buyurtmasi bo‘yicha qaytarishingiz tasdiqlandi. Mahsulotlarni qaytarib yuboring; sotuvchi ularni qabul qilgach, pulingiz qaytariladi.`],
    }),
    'return.rejected': (v) => ({
      title: 'Qaytarish rad etildi',
      body: `${v.number} buyurtmasi bo‘yicha qaytarishingiz rad etildi.`,
      subject: 'Qaytarishingiz rad etildi',
      lines: [`${v.number} buyurtmasi bo‘yicha qaytarishingiz rad etildi: ${v.reason}.`],
    }),
    'return.refunded': (v) => ({
      title: 'Qaytarish uchun pul qaytarildi',
      body: `Qaytarishingiz uchun ${v.total} qaytarildi (${v.number} buyurtmasi).`,
      subject: 'Qaytarishingiz uchun pul qaytarildi',
      lines: [`${v.number} buyurtmasi bo‘yicha qaytarishingiz uchun ${v.total} qaytarildi. Bankingizda ko‘rinishi bir necha kun olishi mumkin.`],
    }),
    'payout.created': (v) => ({
      title: 'To‘lov yuborildi',
      body: `Balansingizdan ${v.total} to‘lab berildi.`,
      subject: 'To‘lovingiz yo‘lda',
      lines: [`Mavjud balansingizdan ${v.total} to‘lab berildi. Bankingizda ko‘rinishi bir necha kun olishi mumkin.`],
    }),
    ...wishlistCopy.uz,
    ...pickupCopy.uz,
  },
};
