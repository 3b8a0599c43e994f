import { z } from '@hono/zod-openapi';
import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { pageOf } from '../../shared/pagination';
import { Profile, UpdateProfileInput } from '../auth/public';
import { Address, AddressInput, AddressList, AdminUser, ListUsersQuery, PatchUserInput, UserIdParams } from './schemas';

const AddressIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'Address id', example: '01930000-0000-7000-8000-000000000002' }),
});

export const getMe = defineRoute({
  method: 'get',
  path: '/me',
  auth: 'required',
  tags: ['Users'],
  summary: 'My profile',
  description: 'The signed-in user (the same answer as GET /auth/profile).',
  responses: { 200: { description: 'Profile', ...json(Profile) }, ...authProblems, ...apiProblems },
});

export const patchMe = defineRoute({
  method: 'patch',
  path: '/me',
  auth: 'required',
  tags: ['Users'],
  summary: 'Update my name, phone or locale',
  description: 'Only these fields; any other field (role, email, …) is a 400. The same as PUT /auth/profile.',
  request: { body: { ...json(UpdateProfileInput), required: true } },
  responses: { 200: { description: 'Updated profile', ...json(Profile) }, ...authProblems, ...apiProblems },
});

export const listUsers = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  roles: ['admin'],
  tags: ['Users'],
  summary: 'List users (admin)',
  description: 'Newest first; filter by role and by a substring of the email.',
  request: { query: ListUsersQuery },
  responses: { 200: { description: 'A page of users', ...json(pageOf(AdminUser)) }, ...authProblems, ...apiProblems },
});

export const getUser = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags: ['Users'],
  summary: 'One user (admin)',
  request: { params: UserIdParams },
  responses: { 200: { description: 'The user', ...json(AdminUser) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const patchUser = defineRoute({
  method: 'patch',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags: ['Users'],
  summary: 'Change role or disable (admin)',
  description:
    'Disabling and a role change both sign the user out everywhere at once (the next sign-in carries the new role). No one changes their own role (403). The last active admin cannot be demoted, disabled or deleted (409 LAST_ADMIN).',
  request: { params: UserIdParams, body: { ...json(PatchUserInput), required: true } },
  responses: {
    200: { description: 'The updated user', ...json(AdminUser) },
    ...problems(404, 409),
    ...authProblems,
    ...apiProblems,
  },
});

export const deleteUser = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  roles: ['admin'],
  tags: ['Users'],
  summary: 'Delete a user (admin)',
  description: 'Soft delete: personal data is erased and sessions end; orders stay intact. The last active admin cannot be deleted (409 LAST_ADMIN).',
  request: { params: UserIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const listAddresses = defineRoute({
  method: 'get',
  path: '/me/addresses',
  auth: 'required',
  tags: ['Addresses'],
  summary: 'My shipping addresses',
  description: 'The default first.',
  responses: { 200: { description: 'Addresses', ...json(AddressList) }, ...authProblems, ...apiProblems },
});

export const createAddress = defineRoute({
  method: 'post',
  path: '/me/addresses',
  auth: 'required',
  tags: ['Addresses'],
  summary: 'Add a shipping address',
  description: 'The first address becomes the default; `isDefault: true` moves the default to the new one.',
  request: { body: { ...json(AddressInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Address) }, ...problems(409), ...authProblems, ...apiProblems },
});

export const getAddress = defineRoute({
  method: 'get',
  path: '/me/addresses/{id}',
  auth: 'required',
  tags: ['Addresses'],
  summary: 'One of my addresses',
  request: { params: AddressIdParams },
  responses: { 200: { description: 'The address', ...json(Address) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const updateAddress = defineRoute({
  method: 'put',
  path: '/me/addresses/{id}',
  auth: 'required',
  tags: ['Addresses'],
  summary: 'Replace one of my addresses',
  request: { params: AddressIdParams, body: { ...json(AddressInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Address) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const deleteAddress = defineRoute({
  method: 'delete',
  path: '/me/addresses/{id}',
  auth: 'required',
  tags: ['Addresses'],
  summary: 'Delete one of my addresses',
  description: 'Deleting the default promotes the most recently added remaining address.',
  request: { params: AddressIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404), ...authProblems, ...apiProblems },
});
