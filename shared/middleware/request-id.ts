import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { newId } from '../ids';

/** A client-sent id is honoured only when it is short and plain enough to log safely. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

export const requestId = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const sent = c.req.header(REQUEST_ID_HEADER);
    const id = sent && SANE_REQUEST_ID.test(sent) ? sent : newId();
    c.set('requestId', id);
    await next();
    c.header(REQUEST_ID_HEADER, id);
  });
