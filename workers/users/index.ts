import { principalOf } from '../../shared/auth/middleware';
import { createRouter } from '../../shared/openapi';
import { addEmailPassword, getProfile, startAddPhone, updateProfile, verifyAddPhone } from '../auth/public';
import * as phoneRoutes from './phone-routes';
import * as routes from './routes';
import * as service from './service';

export const users = createRouter();

// /me and /me/... before /{id}, or "me" would be taken for an id.
users.openapi(routes.getMe, async (c) => c.json(await getProfile(c.get('deps'), principalOf(c)), 200));
users.openapi(routes.patchMe, async (c) => c.json(await updateProfile(c.get('deps'), principalOf(c), c.req.valid('json')), 200));
users.openapi(phoneRoutes.startAddPhone, async (c) =>
  c.json(await startAddPhone(c.get('deps'), principalOf(c), c.req.valid('json')), 202),
);
users.openapi(phoneRoutes.verifyAddPhone, async (c) =>
  c.json(await verifyAddPhone(c.get('deps'), principalOf(c), c.req.valid('json')), 200),
);
users.openapi(phoneRoutes.addEmailPassword, async (c) =>
  c.json(await addEmailPassword(c.get('deps'), principalOf(c), c.req.valid('json')), 200),
);
users.openapi(routes.listAddresses, async (c) =>
  c.json({ data: await service.listAddresses(c.get('deps'), principalOf(c)) }, 200),
);
users.openapi(routes.createAddress, async (c) =>
  c.json(await service.createAddress(c.get('deps'), principalOf(c), c.req.valid('json')), 201),
);
users.openapi(routes.getAddress, async (c) =>
  c.json(await service.getAddress(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
users.openapi(routes.updateAddress, async (c) =>
  c.json(await service.updateAddress(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
users.openapi(routes.deleteAddress, async (c) => {
  await service.deleteAddress(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});

users.openapi(routes.listUsers, async (c) => c.json(await service.listUsers(c.get('deps'), principalOf(c), c.req.valid('query')), 200));
users.openapi(routes.getUser, async (c) =>
  c.json(await service.getUser(c.get('deps'), principalOf(c), c.req.valid('param').id), 200),
);
users.openapi(routes.patchUser, async (c) =>
  c.json(await service.patchUser(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);
users.openapi(routes.deleteUser, async (c) => {
  await service.deleteUser(c.get('deps'), principalOf(c), c.req.valid('param').id);
  return c.body(null, 204);
});
