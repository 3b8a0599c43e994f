import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/app';
import { createUser, type TestUser } from '../../support/users';
import { bytesOf, download, type FileBody, uploaded } from './helpers';

let owner: TestUser, other: TestUser, admin: TestUser;
let bytes: Uint8Array;
let privateFile: FileBody, publicFile: FileBody;

beforeAll(async () => {
  [owner, other, admin] = await Promise.all([createUser('customer', 'owner'), createUser('customer', 'other'), createUser('admin')]);
  bytes = bytesOf('png', 1000);
  privateFile = await uploaded(owner.accessToken, bytes, { filename: 'naïve "photo".png' });
  publicFile = await uploaded(owner.accessToken, bytesOf('pdf', 500), { visibility: 'public', filename: 'manual.pdf' });
});

const body = async (res: Response) => new Uint8Array(await res.arrayBuffer());

describe('GET /files/:id: who may read', () => {
  it('the owner gets the bytes with their headers', async () => {
    const res = await download(privateFile.id, { token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(bytes);
    expect(res.headers.get('etag')).toBe(`"${privateFile.sha256}"`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="na_ve _photo_.png"; filename*=UTF-8''na%C3%AFve%20%22photo%22.png`);
  });

  it('private files: another user and anonymous get 404, an admin 200', async () => {
    await expectProblem(await download(privateFile.id, { token: other.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await download(privateFile.id), 404, 'NOT_FOUND');
    const res = await download(privateFile.id, { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual(bytes);
  });

  it('public files: anyone, with a bad token still 401', async () => {
    const res = await download(publicFile.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="manual.pdf"/);
    expect((await download(publicFile.id, { token: other.accessToken })).status).toBe(200);
    await expectProblem(await download(publicFile.id, { token: 'not-a-token' }), 401, 'UNAUTHENTICATED');
  });

  it('404 for an unknown id and 400 for a malformed one', async () => {
    await expectProblem(await download(crypto.randomUUID(), { token: admin.accessToken }), 404, 'NOT_FOUND');
    await expectProblem(await download('nope', { token: admin.accessToken }), 400, 'VALIDATION_FAILED');
  });
});

describe('GET /files/:id: caching', () => {
  it('public files are cacheable for a year; private ones only by the browser, revalidated', async () => {
    expect((await download(publicFile.id)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const res = await download(privateFile.id, { token: owner.accessToken });
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect(res.headers.get('vary')).toContain('Authorization');
  });

  it('If-None-Match with the ETag answers 304 without a body; another tag gets the file', async () => {
    const etag = `"${privateFile.sha256}"`;
    const res = await download(privateFile.id, { token: owner.accessToken, headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(await res.text()).toBe('');
    expect((await download(privateFile.id, { token: owner.accessToken, headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    // Not to someone who may not read it.
    expect((await download(privateFile.id, { token: other.accessToken, headers: { 'if-none-match': etag } })).status).toBe(404);
  });
});

describe('GET /files/:id: ranges', () => {
  const ranged = (range: string, headers: Record<string, string> = {}) =>
    download(privateFile.id, { token: owner.accessToken, headers: { range, ...headers } });

  it.each([
    ['bytes=0-9', 0, 10],
    ['bytes=990-', 990, 10],
    ['bytes=-25', 975, 25],
    ['bytes=100-199', 100, 100],
    ['bytes=995-5000', 995, 5],
    ['bytes=-5000', 0, 1000],
  ])('%s → 206 with the slice', async (range, offset, length) => {
    const res = await ranged(range);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${offset}-${offset + length - 1}/1000`);
    expect(res.headers.get('content-length')).toBe(String(length));
    expect(await body(res)).toEqual(bytes.slice(offset, offset + length));
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])('%s → 416 with Content-Range: bytes */size', async (range) => {
    const res = await ranged(range);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
    await expectProblem(res, 416, 'RANGE_NOT_SATISFIABLE');
  });

  it.each(['bytes=5-2', 'bytes=0-1,5-6', 'items=0-5', 'bytes=x-'])('ignores %s and sends the whole file', async (range) => {
    const res = await ranged(range);
    expect(res.status).toBe(200);
    expect((await body(res)).length).toBe(1000);
  });

  it('If-Range: a range only when the ETag still matches', async () => {
    expect((await ranged('bytes=0-9', { 'if-range': `"${privateFile.sha256}"` })).status).toBe(206);
    expect((await ranged('bytes=0-9', { 'if-range': '"stale"' })).status).toBe(200);
  });

  it('a range of a private file is still 404 to others', async () => {
    await expectProblem(await download(privateFile.id, { token: other.accessToken, headers: { range: 'bytes=0-9' } }), 404, 'NOT_FOUND');
  });
});
