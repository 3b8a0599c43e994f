import type { Catalog } from './types';
import { pickupCopy } from './pickup';
import { wishlistCopy } from './wishlist';

export const en: Catalog = {
  greeting: (name) => `Hello ${name},`,
  signature: '— The UltraMarket team',
  codeHint: 'If the button does not work, use this code:',
  copy: {
    'user.registered': () => ({
      title: 'Welcome to UltraMarket',
      body: 'Your account is ready. Happy shopping!',
      subject: 'Welcome to UltraMarket',
      lines: ['Your account is ready. Browse the catalog, fill your cart and check out in a few taps.'],
    }),
    'auth.verify_email': (v) => ({
      title: 'Confirm your email address',
      body: 'We sent you a link to confirm your email address.',
      subject: 'Confirm your email address',
      lines: ['Please confirm that this is your email address. The link is valid for 24 hours.'],
      action: { label: 'Confirm email', url: v.link },
    }),
    'auth.password_reset_requested': (v) => ({
      title: 'Password reset requested',
      body: 'We sent you a link to choose a new password.',
      subject: 'Reset your password',
      lines: [
        'Someone (hopefully you) asked to reset your password. The link is valid for one hour.',
        'If it was not you, ignore this email: your password stays as it is.',
      ],
      action: { label: 'Choose a new password', url: v.link },
    }),
    'auth.password_changed': () => ({
      title: 'Your password was changed',
      body: 'If this was not you, reset your password now.',
      subject: 'Your password was changed',
      lines: ['The password of your account was just changed and other sessions were signed out.', 'If this was not you, reset your password right away.'],
    }),
    'order.placed': (v) => ({
      title: 'Order received',
      body: `Order ${v.orderId} (${v.total}) is waiting for payment.`,
      subject: 'We received your order',
      lines: [`Thank you! Order ${v.orderId} for ${v.total} is waiting for payment.`],
    }),
    'order.paid': (v) => ({
      title: 'Payment received',
      body: `Order ${v.orderId} is paid (${v.total}).`,
      subject: 'Your order is paid',
      lines: [`We received your payment of ${v.total} for order ${v.orderId}. We will let you know when it ships.`],
    }),
    'order.processing': (v) => ({
      title: 'Order being prepared',
      body: `Order ${v.orderId} is being prepared.`,
      subject: 'Your order is being prepared',
      lines: [`Order ${v.orderId} is being packed.`],
    }),
    'order.shipped': (v) => ({
      title: 'Order shipped',
      body: `Order ${v.orderId} is on its way.`,
      subject: 'Your order has shipped',
      lines: [`Good news: order ${v.orderId} is on its way to you.`],
    }),
    'order.delivered': (v) => ({
      title: 'Order delivered',
      body: `Order ${v.orderId} was delivered.`,
      subject: 'Your order was delivered',
      lines: [`Order ${v.orderId} was delivered. Enjoy!`],
    }),
    'order.cancelled': (v) => ({
      title: 'Order cancelled',
      body: `Order ${v.orderId} was cancelled.`,
      subject: 'Your order was cancelled',
      lines: [`Order ${v.orderId} (${v.total}) was cancelled. If you paid, the money is on its way back to you.`],
    }),
    'order.refunded': (v) => ({
      title: 'Order refunded',
      body: `Order ${v.orderId} was refunded (${v.total}).`,
      subject: 'Your order was refunded',
      lines: [`We refunded ${v.total} for order ${v.orderId}. Your bank may take a few days to show it.`],
    }),
    'order.partially_refunded': (v) => ({
      title: 'Partial refund',
      body: `Part of order ${v.orderId} was refunded.`,
      subject: 'Part of your order was refunded',
      lines: [`We refunded part of your payment for order ${v.orderId}. Your bank may take a few days to show it.`],
    }),
    'payment.failed': (v) => ({
      title: 'Payment failed',
      body: `The payment for order ${v.orderId} was declined.`,
      subject: 'Your payment did not go through',
      lines: [
        `The payment of ${v.total} for order ${v.orderId} was declined: ${v.reason}.`,
        'Your order is still open: try again with another card.',
      ],
    }),
    'seller_order.paid': (v) => ({
      title: 'New paid order',
      body: `Order ${v.number} is paid (${v.total}): time to prepare it.`,
      subject: `New order ${v.number} to send`,
      lines: [`Order ${v.number} was paid: your part is ${v.total}.`, 'Open your seller orders to see the lines and the delivery address.'],
    }),
    'seller_order.shipped': (v) => ({
      title: 'A parcel is on its way',
      body: `A parcel of order ${v.number} was sent. ${v.tracking}`,
      subject: `Your order ${v.number}: a parcel was sent`,
      lines: [`A parcel of order ${v.number} is on its way to you.`, v.tracking],
    }),
    'seller_order.delivered': (v) => ({
      title: 'Delivered',
      body: `Your items of order ${v.number} were delivered.`,
      subject: `Your order ${v.number} was delivered`,
      lines: [`Your items of order ${v.number} (${v.total}) were delivered. Enjoy!`],
    }),
    'seller_order.cancelled': (v) => ({
      title: 'Order cancelled',
      body: `Your part of order ${v.number} was cancelled: do not send it.`,
      subject: `Order ${v.number} was cancelled`,
      lines: [`Your part of order ${v.number} (${v.total}) was cancelled before it shipped. Please do not send it.`],
    }),
    'return.requested': (v) => ({
      title: 'Return requested',
      body: `A buyer asked to return items of order ${v.number}.`,
      subject: `Return request for order ${v.number}`,
      lines: [`A buyer asked to return items of order ${v.number}: ${v.reason}`, 'Approve or reject the request in your seller dashboard.'],
    }),
    'return.approved': (v) => ({
      title: 'Return approved',
      body: `Your return for order ${v.number} was approved.`,
      subject: 'Your return was approved',
      lines: [`Your return for order ${v.number} was approved. Please send the items back; we refund you once the seller receives them.`],
    }),
    'return.rejected': (v) => ({
      title: 'Return rejected',
      body: `Your return for order ${v.number} was rejected.`,
      subject: 'Your return was rejected',
      lines: [`Your return for order ${v.number} was rejected: ${v.reason}.`],
    }),
    'return.refunded': (v) => ({
      title: 'Return refunded',
      body: `We refunded ${v.total} for your return (order ${v.number}).`,
      subject: 'Your return was refunded',
      lines: [`We refunded ${v.total} for your return of order ${v.number}. Your bank may take a few days to show it.`],
    }),
    'payout.created': (v) => ({
      title: 'Payout sent',
      body: `We paid out ${v.total} from your balance.`,
      subject: 'Your payout is on its way',
      lines: [`We paid out ${v.total} from your available balance. Your bank may take a few days to show it.`],
    }),
    ...wishlistCopy.en,
    ...pickupCopy.en,
  },
};
