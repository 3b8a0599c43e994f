import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { securityMatrix } from '../../support/security';
import { api, createUser } from '../../support/users';
import { bytesOf, download, objectExists, uploaded } from './helpers';

const remove = (id: string, token: string) => api('DELETE', `/files/${id}`, { token });

describe('DELETE /files/:id', () => {
  it('the owner deletes: 204, then 404 to everyone (admin too) and on a second delete', async () => {
    const [owner, admin] = await Promise.all([createUser('customer', 'owner'), createUser('admin')]);
    const file = await uploaded(owner.accessToken, bytesOf('png'), { visibility: 'public' });
    expect((await remove(file.id, owner.accessToken)).status).toBe(204);
    await expectProblem(await download(file.id), 404, 'NOT_FOUND');
    await expectProblem(await download(file.id, { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await remove(file.id, owner.accessToken), 404, 'NOT_FOUND');
    expect(await objectExists(file.sha256)).toBe(false);
  });

  it('another user gets 404 and the file stays; an admin may delete it', async () => {
    const [owner, other, admin] = await Promise.all([createUser('customer'), createUser('seller'), createUser('admin')]);
    const file = await uploaded(owner.accessToken, bytesOf('gif'), { visibility: 'public' });
    await expectProblem(await remove(file.id, other.accessToken), 404, 'NOT_FOUND');
    expect((await download(file.id)).status).toBe(200);
    expect((await remove(file.id, admin.accessToken)).status).toBe(204);
    expect((await download(file.id)).status).toBe(404);
  });

  it('identical bytes share one object: it survives until the last file using it is deleted', async () => {
    const [a, b] = await Promise.all([createUser('customer', 'twin-a'), createUser('customer', 'twin-b')]);
    const bytes = bytesOf('jpeg', 2048);
    const first = await uploaded(a.accessToken, bytes, { filename: 'a.jpg' });
    const second = await uploaded(b.accessToken, bytes, { filename: 'b.jpg' });
    const third = await uploaded(a.accessToken, bytes, { filename: 'c.jpg' });
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    expect(second.sha256).toBe(first.sha256);
    expect(await objectExists(first.sha256)).toBe(true);

    expect((await remove(first.id, a.accessToken)).status).toBe(204);
    expect(await objectExists(first.sha256)).toBe(true);
    const stillThere = await download(second.id, { token: b.accessToken });
    expect(new Uint8Array(await stillThere.arrayBuffer())).toEqual(bytes);

    expect((await remove(second.id, b.accessToken)).status).toBe(204);
    expect(await objectExists(first.sha256)).toBe(true);
    expect((await remove(third.id, a.accessToken)).status).toBe(204);
    expect(await objectExists(first.sha256)).toBe(false);

    // Uploading the bytes again stores them again.
    const again = await uploaded(b.accessToken, bytes);
    expect(await objectExists(again.sha256)).toBe(true);
    expect((await download(again.id, { token: b.accessToken })).status).toBe(200);
  });

  it('400 for a malformed id', async () => {
    const user = await createUser();
    await expectProblem(await remove('nope', user.accessToken), 400, 'VALIDATION_FAILED');
  });
});

securityMatrix({ method: 'DELETE', path: `/files/${crypto.randomUUID()}` });
