/**
 * The demo store's reviews: the demo customer reviews what its demo orders
 * delivered (scripts/stack/demo-orders.ts), through the API, so every review
 * keeps the rule that only a buyer who received a product reviews it
 * (docs/reviews.md); the seller answers the first one. The products' and
 * sellers' ratings follow from them.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Session {
  token: string;
  userId: string;
}

/** What the demo customer writes, in turn (Uzbek: the store's default language). */
const REVIEWS = [
  { stars: 5, title: 'Juda yaxshi', body: 'Sifati a’lo, tez yetkazib berishdi. Tavsiya qilaman!' },
  { stars: 4, title: 'Yaxshi mahsulot', body: 'Rasmdagidek, faqat qadog‘i biroz ezilgan edi.' },
  { stars: 3, title: 'O‘rtacha', body: 'Ishlaydi, lekin rangi rasmdagidan boshqacha.' },
];

/** Reviews the products of the demo orders whose seller orders were delivered; answers how many it wrote. */
export async function seedDemoReviews(
  api: string,
  customer: Session,
  sellers: Session[],
  orders: Array<{ orderId: string; scenario: string }>,
): Promise<number> {
  async function call(method: string, path: string, session: Session, body?: unknown): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${session.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    // 409: already reviewed (the same product delivered twice); anything else is a broken seed.
    if (!res.ok && res.status !== 409) throw new Error(`demo reviews: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  let written = 0;
  for (const { orderId, scenario } of orders) {
    if (scenario !== 'delivered' && !scenario.startsWith('return_')) continue;
    const order = (await call('GET', `/orders/${orderId}`, customer)).body;
    // Seller orders are one per seller: a line was delivered when its seller's seller order was.
    const delivered = new Set((order.sellerOrders as Json[]).filter((so) => so.status === 'delivered').map((so) => so.sellerId as string));
    for (const item of (order.items as Json[]).filter((i) => delivered.has(i.sellerId as string))) {
      const review = REVIEWS[written % REVIEWS.length]!;
      const res = await call('POST', `/products/${item.productId as string}/reviews`, customer, review);
      if (res.status !== 201) continue;
      const seller = sellers.find((s) => s.userId === res.body.sellerId);
      if (written === 0 && seller) await call('POST', `/reviews/${res.body.id as string}/reply`, seller, { body: 'Rahmat! Sizni yana kutib qolamiz.' });
      written++;
    }
  }
  return written;
}
