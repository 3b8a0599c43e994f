import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { files } from '../../../shared/db/schema';
import { expectProblem } from '../../support/app';
import { securityMatrix } from '../../support/security';
import { API, api, createUser, type TestUser, withDb } from '../../support/users';
import { bytesOf, download, objectExists, sha256Hex, upload, uploaded } from './helpers';

let customer: TestUser;
beforeAll(async () => {
  customer = await createUser('customer', 'uploader');
});

const rowsOf = (ownerId: string) => withDb((db) => db.select().from(files).where(eq(files.ownerId, ownerId)));

describe('POST /files: the type comes from the bytes', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['pdf', 'application/pdf'],
  ] as const)('accepts %s and stores %s', async (kind, contentType) => {
    // The client claims something else: the sniffed type wins.
    const file = await uploaded(customer.accessToken, bytesOf(kind), { type: 'application/octet-stream', filename: `x.${kind}` });
    expect(file.contentType).toBe(contentType);
    const res = await download(file.id, { token: customer.accessToken });
    expect(res.headers.get('content-type')).toBe(contentType);
  });

  it('stores a PNG declared as image/jpeg as image/png', async () => {
    const file = await uploaded(customer.accessToken, bytesOf('png'), { type: 'image/jpeg', filename: 'photo.jpg' });
    expect(file.contentType).toBe('image/png');
  });

  it.each(['exe', 'elf'] as const)('refuses a %s renamed .png and declared image/png, storing nothing', async (kind) => {
    const user = await createUser('customer', `renamed-${kind}`);
    const bytes = bytesOf(kind);
    const problem = await expectProblem(await upload(bytes, { token: user.accessToken, filename: 'cat.png', type: 'image/png' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(problem.accepted).toContain('image/png');
    expect(problem.declared).toBe('image/png');
    expect(await rowsOf(user.id)).toHaveLength(0);
    expect(await objectExists(await sha256Hex(bytes))).toBe(false);
  });

  it('refuses plain text, HTML and SVG', async () => {
    for (const text of ['hello', '<html><script>alert(1)</script>', '<svg xmlns="http://www.w3.org/2000/svg"/>']) {
      const bytes = new TextEncoder().encode(text);
      await expectProblem(await upload(bytes, { token: customer.accessToken, filename: 'a.png' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });
});

describe('POST /files: what is recorded', () => {
  it('answers 201 with the SHA-256 of the bytes, the sanitised name and private by default', async () => {
    const bytes = bytesOf('png', 1000);
    const file = await uploaded(customer.accessToken, bytes, { filename: '../../etc/\u202epasswd\u0007.png' });
    expect(file).toMatchObject({ filename: 'passwd.png', contentType: 'image/png', size: 1000, visibility: 'private', url: `/api/v1/files/${file.id}` });
    expect(file.sha256).toBe(await sha256Hex(bytes));
    const [row] = await withDb((db) => db.select().from(files).where(eq(files.id, file.id)));
    expect(row).toMatchObject({ ownerId: customer.id, sha256: file.sha256, objectKey: `objects/${file.sha256}`, size: 1000 });
    expect(await objectExists(file.sha256)).toBe(true);
  });

  it('takes visibility=public', async () => {
    const file = await uploaded(customer.accessToken, bytesOf('gif'), { visibility: 'public' });
    expect(file.visibility).toBe('public');
  });

  it('limits the filename length', async () => {
    const file = await uploaded(customer.accessToken, bytesOf('png'), { filename: `${'a'.repeat(500)}.png` });
    expect(file.filename.length).toBeLessThanOrEqual(200);
  });
});

describe('POST /files: limits', () => {
  it('refuses a file over FILE_MAX_BYTES with 413 naming the limit, and accepts one at the limit', async () => {
    const user = await createUser('customer', 'big');
    const env = { FILE_MAX_BYTES: '1024' };
    const problem = await expectProblem(await upload(bytesOf('png', 1025), { token: user.accessToken, env }), 413, 'PAYLOAD_TOO_LARGE');
    expect(problem.limitBytes).toBe(1024);
    expect(problem.detail).toContain('1024');
    expect(await rowsOf(user.id)).toHaveLength(0);
    expect((await upload(bytesOf('png', 1024), { token: user.accessToken, env })).status).toBe(201);
  });

  it('refuses a body far over the limit before reading it (body limit middleware)', async () => {
    const env = { FILE_MAX_BYTES: '1024' };
    const problem = await expectProblem(await upload(bytesOf('png', 200_000), { token: customer.accessToken, env }), 413, 'PAYLOAD_TOO_LARGE');
    expect(problem.limitBytes).toBe(1024);
  });

  it('accepts uploads larger than MAX_BODY_BYTES (JSON bodies keep that limit)', async () => {
    const user = await createUser('customer', 'mid');
    const res = await upload(bytesOf('png', 4096), { token: user.accessToken, env: { MAX_BODY_BYTES: '1000' } });
    expect(res.status).toBe(201);
  });

  it('enforces FILE_QUOTA_BYTES over the owner’s live files; deleting frees room', async () => {
    const user = await createUser('customer', 'quota');
    const env = { FILE_QUOTA_BYTES: '2500' };
    const first = await upload(bytesOf('png', 1000), { token: user.accessToken, env });
    expect(first.status).toBe(201);
    expect((await upload(bytesOf('png', 1000), { token: user.accessToken, env })).status).toBe(201);
    const problem = await expectProblem(await upload(bytesOf('png', 1000), { token: user.accessToken, env }), 413, 'QUOTA_EXCEEDED');
    expect(problem).toMatchObject({ quotaBytes: 2500, usedBytes: 2000 });
    expect(await rowsOf(user.id)).toHaveLength(2);
    // Another user's quota is their own.
    const other = await createUser('customer', 'quota-other');
    expect((await upload(bytesOf('png', 1000), { token: other.accessToken, env })).status).toBe(201);

    const { id } = await first.json<{ id: string }>();
    expect((await api('DELETE', `/files/${id}`, { token: user.accessToken })).status).toBe(204);
    expect((await upload(bytesOf('png', 1000), { token: user.accessToken, env })).status).toBe(201);
  });
});

describe('POST /files: malformed requests', () => {
  const send = (form: FormData) =>
    SELF.fetch(`${API}/files`, { method: 'POST', headers: { authorization: `Bearer ${customer.accessToken}` }, body: form });

  it('400 without a `file` part', async () => {
    const form = new FormData();
    form.set('other', new File([bytesOf('png')], 'a.png'));
    const problem = await expectProblem(await send(form), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain('file');
  });

  it('400 when `file` is a plain field, and for an unknown visibility', async () => {
    const text = new FormData();
    text.set('file', 'not a file');
    await expectProblem(await send(text), 400, 'VALIDATION_FAILED');
    const bad = new FormData();
    bad.set('file', new File([bytesOf('png')], 'a.png'));
    bad.set('visibility', 'everyone');
    const problem = await expectProblem(await send(bad), 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path)).toContain('visibility');
  });

  it('415 for a JSON body', async () => {
    await expectProblem(await api('POST', '/files', { token: customer.accessToken, body: { file: 'x' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('GET /files: my files', () => {
  it('lists only the caller’s live files, newest first, paginated', async () => {
    const user = await createUser('customer', 'lister');
    const a = await uploaded(user.accessToken, bytesOf('png'));
    const b = await uploaded(user.accessToken, bytesOf('gif'));
    const c = await uploaded(user.accessToken, bytesOf('pdf'));
    await uploaded(customer.accessToken, bytesOf('png'));
    expect((await api('DELETE', `/files/${b.id}`, { token: user.accessToken })).status).toBe(204);
    const first = await (await api('GET', '/files?limit=1', { token: user.accessToken })).json<{ data: Array<{ id: string }>; nextCursor: string }>();
    expect(first.data.map((f) => f.id)).toEqual([c.id]);
    const rest = await (await api('GET', `/files?limit=5&cursor=${first.nextCursor}`, { token: user.accessToken })).json<{ data: Array<{ id: string }>; nextCursor: null }>();
    expect(rest).toEqual({ data: [expect.objectContaining({ id: a.id })], nextCursor: null });
  });
});

securityMatrix({ method: 'POST', path: '/files' });
securityMatrix({ method: 'GET', path: '/files' });
