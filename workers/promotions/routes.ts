import { apiProblems, authProblems, json, problems } from '../../shared/openapi';
import { pageOf, PageQuerySchema } from '../../shared/pagination';
import { defineRoute } from '../../shared/route';
import {
  AddCodesInput,
  CodeList,
  CreatePromotionInput,
  GenerateCodesInput,
  GeneratedCodes,
  ListPromotionsQuery,
  Promotion,
  PromotionCode,
  PromotionIdParams,
  UpdatePromotionInput,
} from './schemas';

const tags = ['Promotions'];
const roles = ['seller', 'admin'] as const;
const scope = 'Admins manage every promotion; a seller only those it funds (another’s is 404). See docs/promotions.md.';

export const listPromotions = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  roles,
  tags,
  summary: 'Promotions',
  description: `Newest first; archived ones only with \`?status=archived\`. ${scope}`,
  request: { query: ListPromotionsQuery },
  responses: { 200: { description: 'A page of promotions', ...json(pageOf(Promotion)) }, ...authProblems, ...apiProblems },
});

export const getPromotion = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'required',
  roles,
  tags,
  summary: 'One promotion',
  description: scope,
  request: { params: PromotionIdParams },
  responses: { 200: { description: 'The promotion', ...json(Promotion) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const createPromotion = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  roles,
  tags,
  summary: 'Create a promotion',
  description:
    'Percentage, fixed amount, free shipping, buy X get Y or tiered; automatic or by code. A seller’s promotion is funded by it and may ' +
    'name only its own products; an admin creates the platform’s, or a seller’s with `sellerId`. Times are UTC (Tashkent is UTC+5).',
  request: { body: { ...json(CreatePromotionInput), required: true } },
  responses: { 201: { description: 'Created', ...json(Promotion) }, ...authProblems, ...apiProblems },
});

export const updatePromotion = defineRoute({
  method: 'patch',
  path: '/{id}',
  auth: 'required',
  roles,
  tags,
  summary: 'Change a promotion',
  description: `Only the fields sent change; the result is validated as a whole. An archived promotion is 409. ${scope}`,
  request: { params: PromotionIdParams, body: { ...json(UpdatePromotionInput), required: true } },
  responses: { 200: { description: 'Updated', ...json(Promotion) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const archivePromotion = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  roles,
  tags,
  summary: 'Archive a promotion',
  description: `It never applies again; orders that used it keep pointing at it and its codes stay taken. ${scope}`,
  request: { params: PromotionIdParams },
  responses: { 204: { description: 'Archived' }, ...problems(404), ...authProblems, ...apiProblems },
});

export const listCodes = defineRoute({
  method: 'get',
  path: '/{id}/codes',
  auth: 'required',
  roles,
  tags,
  summary: 'A promotion’s codes',
  description: `Newest first. ${scope}`,
  request: { params: PromotionIdParams, query: PageQuerySchema },
  responses: { 200: { description: 'A page of codes', ...json(pageOf(PromotionCode)) }, ...problems(404), ...authProblems, ...apiProblems },
});

export const addCodes = defineRoute({
  method: 'post',
  path: '/{id}/codes',
  auth: 'required',
  roles,
  tags,
  summary: 'Add codes to a promotion',
  description: 'Up to 100 codes, case-insensitive (stored upper-case). A code already taken (by any promotion) is 409 and none are added. Only code promotions have codes.',
  request: { params: PromotionIdParams, body: { ...json(AddCodesInput), required: true } },
  responses: { 201: { description: 'Added', ...json(CodeList) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});

export const generateCodes = defineRoute({
  method: 'post',
  path: '/{id}/codes/generate',
  auth: 'required',
  roles,
  tags,
  summary: 'Generate unique codes',
  description: 'Up to 1000 new unique codes per call: the prefix and random symbols (no 0/O/1/I), single-use by default; one batch id for the call.',
  request: { params: PromotionIdParams, body: { ...json(GenerateCodesInput), required: true } },
  responses: { 201: { description: 'Generated', ...json(GeneratedCodes) }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
