import { SELF } from 'cloudflare:test';
import { expect } from 'vitest';
import type { Bindings } from '../../../shared/env';
import { call, testEnv } from '../../support/app';
import { API } from '../../support/users';

export interface FileBody {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  visibility: 'public' | 'private';
  url: string;
  createdAt: string;
}

const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/** Leading bytes of each allowed format (and of two executables). */
export const MAGIC = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  gif: ascii('GIF89a'),
  webp: [...ascii('RIFF'), 0x24, 0, 0, 0, ...ascii('WEBPVP8 ')],
  pdf: ascii('%PDF-1.7\n'),
  exe: ascii('MZ'),
  elf: [0x7f, ...ascii('ELF')],
};

/** The signature followed by `size - signature` random bytes: unique content, so each test has its own R2 object. */
export function bytesOf(kind: keyof typeof MAGIC, size = 256): Uint8Array {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB at a time.
  for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  bytes.set(MAGIC[kind]);
  return bytes;
}

export interface UploadOptions {
  filename?: string;
  type?: string;
  visibility?: string;
  token?: string;
  /** Bindings to override: the request goes through `call` (a fresh app) instead of SELF. */
  env?: Partial<Bindings> & Record<string, unknown>;
}

export function uploadRequest(bytes: Uint8Array, options: UploadOptions = {}): Request {
  const form = new FormData();
  form.set('file', new File([bytes], options.filename ?? 'upload.png', { type: options.type ?? 'image/png' }));
  if (options.visibility) form.set('visibility', options.visibility);
  return new Request(`${API}/files`, {
    method: 'POST',
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    body: form,
  });
}

export async function upload(bytes: Uint8Array, options: UploadOptions = {}): Promise<Response> {
  const request = uploadRequest(bytes, options);
  return options.env ? call(request, { env: options.env }) : SELF.fetch(request);
}

/** Uploads and expects 201. */
export async function uploaded(token: string, bytes: Uint8Array, options: UploadOptions = {}): Promise<FileBody> {
  const res = await upload(bytes, { ...options, token });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text);
}

export function download(id: string, options: { token?: string; headers?: Record<string, string>; method?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return SELF.fetch(`${API}/files/${id}`, { method: options.method ?? 'GET', headers });
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether R2 holds the object for these bytes. */
export async function objectExists(sha256: string): Promise<boolean> {
  return (await testEnv.FILES.head(`objects/${sha256}`)) !== null;
}
