import { inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { categories } from '../../../shared/db/schema';
import { createCategory, HOOK_TIMEOUT } from '../../support/catalog';
import { api, createUser, type TestUser, withDb } from '../../support/users';

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
}, HOOK_TIMEOUT);

interface Node {
  id: string;
  parentId: string | null;
  children: Node[];
}

const flatten = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe('concurrent category moves', () => {
  // A cycle (A under B, B under A) drops both from the tree and would make the
  // recursive subtree query behind ?category= loop forever: the cycle check and
  // the move must be one atomic step.
  it('two opposite moves at once never both succeed', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round++) {
      const a = await createCategory(admin);
      const b = await createCategory(admin);
      const move = (node: { id: string; slug: string }, parentId: string) =>
        api('PUT', `/categories/${node.id}`, { token: admin.accessToken, body: { slug: node.slug, name: 'Racer', parentId } });
      const [ra, rb] = await Promise.all([move(a, b.id), move(b, a.id)]);
      outcomes.push(`${ra.status}/${rb.status}`);
      const tree = flatten((await (await api('GET', '/categories')).json<{ data: Node[] }>()).data);
      const inTree = tree.filter((n) => n.id === a.id || n.id === b.id).length;
      // Leave no cycle behind in the shared database, whatever happened.
      await withDb((db) => db.update(categories).set({ parentId: null }).where(inArray(categories.id, [a.id, b.id])));
      expect(inTree, `round ${round}: both categories stay in the tree`).toBe(2);
    }
    expect(outcomes.filter((o) => o === '200/200'), outcomes.join(' ')).toEqual([]);
    for (const o of outcomes) expect(['200/400', '400/200']).toContain(o);
  }, 120_000);
});
