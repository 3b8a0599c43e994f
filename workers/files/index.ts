import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import { fileResponse } from './response';
import * as routes from './routes';
import * as service from './service';

export const files = createRouter();

files.openapi(routes.uploadFile, async (c) => c.json(await service.uploadFile(c.get('deps'), principalOf(c), c.req.valid('form')), 201));
files.openapi(routes.listFiles, async (c) => c.json(await service.listFiles(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
files.openapi(routes.downloadFile, async (c) => {
  const download = await service.downloadFile(c.get('deps'), c.get('auth'), c.req.valid('param').id, {
    range: c.req.header('range'),
    ifRange: c.req.header('if-range'),
    ifNoneMatch: c.req.header('if-none-match'),
  });
  // A streamed body is not a TypedResponse; the route documents its content types.
  return fileResponse(download) as never;
});
files.openapi(routes.deleteFile, async (c) => {
  await service.deleteFile(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});
