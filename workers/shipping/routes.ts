import { ReaderLocaleQuery } from '../../shared/locale';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import {
  CreateMethodInput,
  CreatePointInput,
  IdParams,
  ListMethodsQuery,
  ListPointsQuery,
  ListZonesQuery,
  Method,
  OptionsQuery,
  Point,
  RegionList,
  ShippingOptions,
  UpdateMethodInput,
  UpdatePointInput,
  Zone,
  ZoneInput,
} from './schemas';

const tags = ['Shipping'];
const deleted = { 204: { description: 'Deleted' } };

export const listRegions = defineRoute({
  method: 'get',
  path: '/regions',
  auth: 'none',
  tags,
  summary: 'Uzbekistan’s regions',
  description: 'The 14 first-level regions with their ISO 3166-2:UZ codes (what `regionCode` of a UZ address takes) and names in uz, ru and en.',
  responses: { 200: { description: 'The regions', ...json(RegionList) }, ...apiProblems },
});

export const shippingOptions = defineRoute({
  method: 'get',
  path: '/options',
  auth: 'optional',
  tags,
  summary: 'Shipping options for my cart',
  description:
    'Per seller group of the current cart (a signed-in user’s, else the one named by `X-Cart-Id`), the methods that reach the address ' +
    '(`addressId`, signed in) or the destination (`country` and `regionCode`), with the price for that group and the delivery estimate; ' +
    'pickup methods with their points in that region. A group with `choiceRequired: false` has no method and ships at the flat rate. ' +
    'Each option’s `name` in the locale of `?locale=` or Accept-Language (Content-Language says which).',
  request: { query: OptionsQuery },
  responses: { 200: { description: 'The options', ...json(ShippingOptions) }, ...problems(404), ...authProblems, ...apiProblems },
});

// ---- zones (the platform's) ----

export const listZones = defineRoute({
  method: 'get',
  path: '/zones',
  auth: 'none',
  tags,
  summary: 'Shipping zones',
  description: 'Newest first. Zones are the platform’s; sellers price their methods per zone.',
  request: { query: ListZonesQuery },
  responses: { 200: { description: 'A page of zones', ...json(pageOf(Zone)) }, ...apiProblems },
});

export const getZone = defineRoute({
  method: 'get',
  path: '/zones/{id}',
  auth: 'none',
  tags,
  summary: 'One shipping zone',
  request: { params: IdParams },
  responses: { 200: { description: 'The zone', ...json(Zone) }, ...problems(404), ...apiProblems },
});

export const createZone = defineRoute({
  method: 'post',
  path: '/zones',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Create a shipping zone (admin)',
  description: 'A country, or some of its regions (UZ: ISO 3166-2:UZ codes). An empty `regionCodes` covers the whole country.',
  request: { body: { ...json(ZoneInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Zone) }, ...authProblems, ...apiProblems },
});

export const updateZone = defineRoute({
  method: 'put',
  path: '/zones/{id}',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Replace a shipping zone (admin)',
  request: { params: IdParams, body: { ...json(ZoneInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Zone) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const deleteZone = defineRoute({
  method: 'delete',
  path: '/zones/{id}',
  auth: 'required',
  roles: ['admin'],
  tags,
  summary: 'Delete a shipping zone (admin)',
  description: '409 while a method still has a rate in it.',
  request: { params: IdParams },
  responses: { ...deleted, ...problems(404, 409), ...authProblems, ...apiProblems },
});

// ---- methods (the platform's and sellers') ----

export const listMethods = defineRoute({
  method: 'get',
  path: '/methods',
  auth: 'optional',
  tags,
  summary: 'Shipping methods',
  description: 'Active methods, to anyone; a seller also sees its own inactive ones, an admin all. Filter by seller, platform or kind. Newest first. `name` in the locale of `?locale=` or Accept-Language.',
  request: { query: ListMethodsQuery },
  responses: { 200: { description: 'A page of methods', ...json(pageOf(Method)) }, ...authProblems, ...apiProblems },
});

export const getMethod = defineRoute({
  method: 'get',
  path: '/methods/{id}',
  auth: 'optional',
  tags,
  summary: 'One shipping method',
  description: 'An inactive method is visible to its seller and admins only (404 to others). `name` in the locale of `?locale=` or Accept-Language.',
  request: { params: IdParams, query: ReaderLocaleQuery },
  responses: { 200: { description: 'The method', ...json(Method) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const createMethod = defineRoute({
  method: 'post',
  path: '/methods',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Create a shipping method',
  description:
    'A seller creates its own method (offered only for its products); an admin the platform’s (offered for every seller’s), or a seller’s with `sellerId`. ' +
    'Rates: one per zone, flat or by weight bands, optional `freeAbove`.',
  request: { body: { ...json(CreateMethodInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Method) }, ...authProblems, ...apiProblems },
});

export const updateMethod = defineRoute({
  method: 'patch',
  path: '/methods/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Change a shipping method',
  description: 'Its seller or an admin; another seller’s method is 404. `rates`, when sent, replace all rates. Orders placed keep what they chose.',
  request: { params: IdParams, body: { ...json(UpdateMethodInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Method) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const deleteMethod = defineRoute({
  method: 'delete',
  path: '/methods/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Delete a shipping method',
  description: 'Its seller or an admin; another seller’s method is 404. Orders placed keep a copy of what they chose.',
  request: { params: IdParams },
  responses: { ...deleted, ...problems(404), ...authProblems, ...apiProblems },
});

// ---- pickup points ----

export const listPoints = defineRoute({
  method: 'get',
  path: '/pickup-points',
  auth: 'optional',
  tags,
  summary: 'Pickup points',
  description: 'Active points, to anyone; a seller also sees its own inactive ones, an admin all. Filter by seller, platform, country, region.',
  request: { query: ListPointsQuery },
  responses: { 200: { description: 'A page of points', ...json(pageOf(Point)) }, ...authProblems, ...apiProblems },
});

export const getPoint = defineRoute({
  method: 'get',
  path: '/pickup-points/{id}',
  auth: 'optional',
  tags,
  summary: 'One pickup point',
  request: { params: IdParams },
  responses: { 200: { description: 'The point', ...json(Point) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const createPoint = defineRoute({
  method: 'post',
  path: '/pickup-points',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Create a pickup point',
  description: 'A seller’s own (for its pickup methods), or for an admin the platform’s (for the platform’s pickup methods).',
  request: { body: { ...json(CreatePointInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Point) }, ...authProblems, ...apiProblems },
});

export const updatePoint = defineRoute({
  method: 'patch',
  path: '/pickup-points/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Change a pickup point',
  request: { params: IdParams, body: { ...json(UpdatePointInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Point) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const deletePoint = defineRoute({
  method: 'delete',
  path: '/pickup-points/{id}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Delete a pickup point',
  request: { params: IdParams },
  responses: { ...deleted, ...problems(404), ...authProblems, ...apiProblems },
});
