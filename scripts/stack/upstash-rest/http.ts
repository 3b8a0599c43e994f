/**
 * The Upstash REST wire format: request bodies parsed into commands, replies
 * encoded (base64 on request), bodies read with a size cap, bearer tokens checked.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorText, type JsonValue, type Outcome, type RedisCommand, type Reply } from './commands';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function parseCommand(value: unknown): RedisCommand {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR a command must be a non-empty JSON array like ["SET","key","value"]');
  }
  const args = value.map((part: unknown): string => {
    // The client serialises numbers and booleans as JSON scalars; Redis wants them as text.
    if (typeof part === 'string') return part;
    if (typeof part === 'number' || typeof part === 'boolean') return String(part);
    throw new HttpError(400, `ERR command arguments must be strings or numbers, got ${JSON.stringify(part)}`);
  });
  const [name = '', ...rest] = args;
  if (name === '') throw new HttpError(400, 'ERR command name must be a non-empty string');
  return { name: name.toUpperCase(), args: rest };
}

export function parseCommandList(value: unknown): RedisCommand[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR body must be a non-empty JSON array of commands like [["SET","k","v"],["GET","k"]]');
  }
  return value.map(parseCommand);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpError(400, `ERR failed to parse JSON body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function encodeReply(reply: Reply, base64: boolean, topLevel: boolean): JsonValue {
  if (reply === null || typeof reply === 'number') return reply;
  if (Array.isArray(reply)) return reply.map((item) => encodeReply(item, base64, false));
  const bytes = reply instanceof Error ? Buffer.from(errorText(reply)) : Buffer.isBuffer(reply) ? reply : Buffer.from(reply, 'utf8');
  // Upstash leaves a top-level "OK" readable even in base64 mode, and the client
  // returns a top-level "OK" verbatim. Nested strings are always decoded by the
  // client, so there "OK" must be encoded like everything else.
  if (topLevel && bytes.length === 2 && bytes.toString('latin1') === 'OK') return 'OK';
  return base64 ? bytes.toString('base64') : bytes.toString('utf8');
}

export function encodeOutcome(outcome: Outcome, base64: boolean): { result: JsonValue } | { error: string } {
  return 'error' in outcome ? { error: outcome.error } : { result: encodeReply(outcome.result, base64, true) };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `ERR request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

export function isAuthorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim(), 'utf8');
  // timingSafeEqual needs equal lengths; the length itself is not a secret worth hiding here.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Command names in the path form; anything else is an unknown path (404), not an unknown command. */
export const PATH_COMMAND = /^[A-Za-z][A-Za-z0-9_.|-]*$/;
