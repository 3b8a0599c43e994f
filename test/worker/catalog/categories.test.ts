import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createCategory, createProduct, isolatedClient, productInput, roundTrips, validationPaths, HOOK_TIMEOUT } from '../../support/catalog';
import { api, createUser, type TestUser } from '../../support/users';

interface CategoryNode {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  description: string | null;
  position: number;
  children: CategoryNode[];
}

function findNode(nodes: CategoryNode[], id: string): CategoryNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const found = findNode(node.children, id);
    if (found) return found;
  }
  return undefined;
}

async function readTree(): Promise<CategoryNode[]> {
  const res = await api('GET', '/categories');
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return (JSON.parse(text) as { data: CategoryNode[] }).data;
}

const slug = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser('admin');
}, HOOK_TIMEOUT);

describe('GET /categories', () => {
  it('nests children under their parent, ordered by position then name', async () => {
    const root = await createCategory(admin, { name: 'Root' });
    const last = await createCategory(admin, { parentId: root.id, name: 'Last', position: 2 });
    const first = await createCategory(admin, { parentId: root.id, name: 'First', position: 0 });
    const zeta = await createCategory(admin, { parentId: root.id, name: 'Zeta', position: 1 });
    const beta = await createCategory(admin, { parentId: root.id, name: 'Beta', position: 1 });
    const leaf = await createCategory(admin, { parentId: first.id, name: 'Leaf' });

    const roots = await readTree();
    const node = roots.find((n) => n.id === root.id);
    expect(node).toMatchObject({ parentId: null, slug: root.slug, name: 'Root', position: 0 });
    expect(node?.children.map((n) => n.id)).toEqual([first.id, beta.id, zeta.id, last.id]);
    expect(node?.children[0]?.children.map((n) => n.id)).toEqual([leaf.id]);
    expect(node?.children[0]?.children[0]).toMatchObject({ parentId: first.id, name: 'Leaf', children: [] });
    // Children appear only under their parent, not as roots.
    expect(roots.some((n) => n.id === first.id || n.id === leaf.id)).toBe(false);
  });
});

describe('category writes (admin)', () => {
  it('creates (201), replaces (200) and deletes (204)', async () => {
    const parent = await createCategory(admin);
    const s = slug('shoes');
    const created = await api('POST', '/categories', {
      token: admin.accessToken,
      body: { slug: s, name: 'Shoes', description: 'Footwear', position: 3 },
    });
    expect(created.status).toBe(201);
    const shoes = await created.json<CategoryNode>();
    expect(shoes).toEqual({ id: expect.any(String), parentId: null, slug: s, name: 'Shoes', description: 'Footwear', position: 3, children: [], translations: {} });

    const replaced = await api('PUT', `/categories/${shoes.id}`, {
      token: admin.accessToken,
      body: { slug: `${s}-x`, name: 'Sneakers', parentId: parent.id },
    });
    expect(replaced.status).toBe(200);
    // PUT replaces: omitted fields take their defaults.
    expect(await replaced.json()).toMatchObject({ id: shoes.id, parentId: parent.id, slug: `${s}-x`, name: 'Sneakers', description: null, position: 0 });
    expect(findNode(await readTree(), parent.id)?.children.map((n) => n.name)).toEqual(['Sneakers']);

    expect((await api('DELETE', `/categories/${shoes.id}`, { token: admin.accessToken })).status).toBe(204);
    expect(findNode(await readTree(), shoes.id)).toBeUndefined();
    await expectProblem(await api('DELETE', `/categories/${shoes.id}`, { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(
      await api('PUT', `/categories/${shoes.id}`, { token: admin.accessToken, body: { slug: slug('gone'), name: 'Gone' } }),
      404,
      'NOT_FOUND',
    );
  });

  it('409 for a slug already taken (create and replace)', async () => {
    const taken = await createCategory(admin);
    const other = await createCategory(admin);
    await expectProblem(await api('POST', '/categories', { token: admin.accessToken, body: { slug: taken.slug, name: 'Dup' } }), 409, 'CONFLICT');
    await expectProblem(
      await api('PUT', `/categories/${other.id}`, { token: admin.accessToken, body: { slug: taken.slug, name: 'Dup' } }),
      409,
      'CONFLICT',
    );
    expect(findNode(await readTree(), other.id)?.slug).toBe(other.slug);
  });

  it('400 for an unknown parentId, a bad slug or an unknown field', async () => {
    const cat = await createCategory(admin);
    const ghost = crypto.randomUUID();
    const post = (body: unknown) => api('POST', '/categories', { token: admin.accessToken, body });
    expect(await validationPaths(await post({ slug: slug('orphan'), name: 'Orphan', parentId: ghost }))).toEqual(['parentId']);
    expect(
      await validationPaths(await api('PUT', `/categories/${cat.id}`, { token: admin.accessToken, body: { slug: cat.slug, name: 'X', parentId: ghost } })),
    ).toEqual(['parentId']);
    expect(await validationPaths(await post({ slug: 'Not A Slug', name: 'Bad' }))).toEqual(['slug']);
    expect(await validationPaths(await post({ slug: slug('extra'), name: 'Extra', colour: 'red' }))).toEqual(['colour']);
    expect(findNode(await readTree(), cat.id)?.parentId).toBeNull();
  });

  it('400 when a category would move under itself or its own descendant', async () => {
    const top = await createCategory(admin);
    const mid = await createCategory(admin, { parentId: top.id });
    const low = await createCategory(admin, { parentId: mid.id });
    const move = (parentId: string) => api('PUT', `/categories/${top.id}`, { token: admin.accessToken, body: { slug: top.slug, name: 'Top', parentId } });
    expect(await validationPaths(await move(low.id))).toEqual(['parentId']);
    expect(await validationPaths(await move(mid.id))).toEqual(['parentId']);
    expect(await validationPaths(await move(top.id))).toEqual(['parentId']);
    const node = findNode(await readTree(), top.id);
    expect(node?.parentId).toBeNull();
    expect(node?.children[0]?.children[0]?.id).toBe(low.id);
    // Moving the descendant elsewhere is fine.
    const moved = await api('PUT', `/categories/${low.id}`, { token: admin.accessToken, body: { slug: low.slug, name: 'Low', parentId: top.id } });
    expect(moved.status).toBe(200);
  });

  it('409 deleting a category with sub-categories or live products; 204 once empty', async () => {
    const seller = await createUser('seller');
    const parent = await createCategory(admin);
    const child = await createCategory(admin, { parentId: parent.id });
    const stocked = await createCategory(admin);
    await createProduct(seller, productInput(stocked.id, { status: 'draft' }));

    const withChild = await expectProblem(await api('DELETE', `/categories/${parent.id}`, { token: admin.accessToken }), 409, 'CONFLICT');
    expect(withChild).toMatchObject({ children: 1, products: 0 });
    const withProduct = await expectProblem(await api('DELETE', `/categories/${stocked.id}`, { token: admin.accessToken }), 409, 'CONFLICT');
    expect(withProduct).toMatchObject({ children: 0, products: 1 });
    const tree = await readTree();
    expect(findNode(tree, parent.id)).toBeDefined();
    expect(findNode(tree, stocked.id)).toBeDefined();

    expect((await api('DELETE', `/categories/${child.id}`, { token: admin.accessToken })).status).toBe(204);
    expect((await api('DELETE', `/categories/${parent.id}`, { token: admin.accessToken })).status).toBe(204);
    const after = await readTree();
    expect(findNode(after, parent.id)).toBeUndefined();
    expect(findNode(after, child.id)).toBeUndefined();
  });
});

describe('category tree cache', () => {
  it('sends an ETag, answers 304 to If-None-Match and serves repeats from the cache', async () => {
    const client = isolatedClient('cat-tree');
    const first = await client('GET', '/categories');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, /);
    const body = await first.text();

    const again = await client('GET', '/categories');
    expect(roundTrips(again)).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(body);

    const notModified = await client('GET', '/categories', { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(await notModified.text()).toBe('');
  });

  it('every category write invalidates it: the next GET shows the change', async () => {
    const client = isolatedClient('cat-inval');
    const token = admin.accessToken;
    const read = async () => {
      const res = await client('GET', '/categories');
      expect(res.status).toBe(200);
      return { etag: res.headers.get('etag') ?? '', trips: roundTrips(res), tree: (await res.json<{ data: CategoryNode[] }>()).data };
    };
    const warm = async () => {
      const before = await read();
      expect((await read()).trips).toBe(0); // cached: the write below must invalidate it
      return before;
    };

    const home = await createCategory(admin);
    const before = await warm();
    const created = await client('POST', '/categories', { token, body: { slug: slug('fresh'), name: 'Fresh', parentId: home.id } });
    expect(created.status).toBe(201);
    const { id } = await created.json<CategoryNode>();
    const afterCreate = await read();
    expect(findNode(afterCreate.tree, home.id)?.children.map((n) => n.id)).toEqual([id]);
    expect(afterCreate.etag).not.toBe(before.etag);
    const stale = await client('GET', '/categories', { headers: { 'if-none-match': before.etag } });
    expect(stale.status).toBe(200);
    expect(findNode((await stale.json<{ data: CategoryNode[] }>()).data, id)).toBeDefined();

    await warm();
    const renamed = await client('PUT', `/categories/${id}`, { token, body: { slug: slug('renamed'), name: 'Renamed', parentId: null } });
    expect(renamed.status).toBe(200);
    const afterUpdate = await read();
    expect(findNode(afterUpdate.tree, id)).toMatchObject({ name: 'Renamed', parentId: null });
    expect(findNode(afterUpdate.tree, home.id)?.children).toEqual([]);
    expect(afterUpdate.tree.some((n) => n.id === id)).toBe(true);

    await warm();
    expect((await client('DELETE', `/categories/${id}`, { token })).status).toBe(204);
    expect(findNode((await read()).tree, id)).toBeUndefined();
  });
});
