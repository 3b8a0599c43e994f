import { type AccessTable, adminOnly, sellerOwned, sellersAndAdmin } from '../types';

/** Seller A's ledger named explicitly: A and an admin read it, seller B gets 404 (never told it exists), customers 403. */
const sellerALedger = sellerOwned(200);
const ofSellerA = ({ fx }: { fx: { users: { seller: { id: string } } } }) => ({ query: { sellerId: fx.users.seller.id } });

export const ledger: AccessTable = {
  // An admin has no balance of its own and must name a seller (400 otherwise), so the matrix names seller A.
  'GET /api/v1/ledger/balance': { request: ofSellerA, expect: sellerALedger },
  'GET /api/v1/ledger/entries': [
    { scenario: 'own entries', request: () => ({}), expect: sellersAndAdmin(200) },
    { scenario: "seller A's entries", request: ofSellerA, expect: sellerALedger },
  ],
  'POST /api/v1/ledger/payouts': {
    // Seller A has nothing available in the fixtures: the admin passes authorisation and gets 409 INSUFFICIENT_BALANCE.
    request: ({ fx }) => ({
      headers: { 'Idempotency-Key': crypto.randomUUID() },
      body: { sellerId: fx.users.seller.id, amount: 1, currency: 'ZZZ', reference: 'authz-matrix' },
    }),
    expect: adminOnly(409),
  },
  'GET /api/v1/ledger/payouts': [
    { scenario: 'own payouts', request: () => ({}), expect: sellersAndAdmin(200) },
    { scenario: "seller A's payouts", request: ofSellerA, expect: sellerALedger },
  ],
  'GET /api/v1/ledger/reconcile': { request: () => ({}), expect: adminOnly(200) },
  'GET /api/v1/ledger/sellers/{sellerId}/summary': {
    request: ({ fx }) => ({ params: { sellerId: fx.users.seller.id } }),
    expect: sellerALedger,
  },
  'GET /api/v1/ledger/sellers/{sellerId}/commission': {
    request: ({ fx }) => ({ params: { sellerId: fx.users.seller.id } }),
    expect: sellerALedger,
  },
  'PUT /api/v1/ledger/sellers/{sellerId}/commission': {
    // Clearing an override that is not set changes nothing the other suites rely on.
    request: ({ fx }) => ({ params: { sellerId: fx.users.seller.id }, body: { commissionBps: null } }),
    expect: adminOnly(200),
  },
  'GET /api/v1/ledger/sellers/{sellerId}/vat': {
    request: ({ fx }) => ({ params: { sellerId: fx.users.seller.id } }),
    expect: sellerALedger,
  },
  'PUT /api/v1/ledger/sellers/{sellerId}/vat': {
    // Setting the default (a VAT payer) changes nothing the other suites rely on; seller A may set its own.
    request: ({ fx }) => ({ params: { sellerId: fx.users.seller.id }, body: { vatPayer: true } }),
    expect: sellerALedger,
  },
};
