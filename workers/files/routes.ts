import { z } from '@hono/zod-openapi';
import { apiProblems, authProblems, json, problems, ProblemSchema } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { pageOf } from '../../shared/pagination';
import { PROBLEM_CONTENT_TYPE } from '../../shared/problem';
import { FileIdParams, FileMeta, ListFilesQuery, UploadForm } from './schemas';
import { ALLOWED_TYPES } from './sniff';

const tags = ['Files'];

const binary = z.string().openapi({ type: 'string', format: 'binary' });
const bytes = { content: Object.fromEntries(ALLOWED_TYPES.map((type) => [type, { schema: binary }])) };
const header = (description: string) => ({ description, schema: { type: 'string' as const } });
const downloadHeaders = {
  ETag: header('Strong ETag: the quoted SHA-256 of the bytes'),
  'Cache-Control': header('public, max-age=31536000, immutable (public files) or private, no-cache (private files)'),
  'Accept-Ranges': header('bytes'),
  'Content-Disposition': header('inline for images, attachment otherwise, with the sanitised filename'),
  'Content-Length': header('Bytes in this response'),
};

export const uploadFile = defineRoute({
  method: 'post',
  path: '/',
  auth: 'required',
  tags,
  summary: 'Upload a file (any signed-in user)',
  description:
    `multipart/form-data with the part \`file\` (and optionally \`visibility\`). The content type is sniffed from the bytes: ` +
    `${ALLOWED_TYPES.join(', ')}; anything else (an executable renamed .png) is 415. Larger than FILE_MAX_BYTES is 413 ` +
    'PAYLOAD_TOO_LARGE; past the owner’s FILE_QUOTA_BYTES (live files) 413 QUOTA_EXCEEDED.',
  request: { body: { content: { 'multipart/form-data': { schema: UploadForm } }, required: true } },
  responses: { 201: { description: 'Stored', ...json(FileMeta) }, ...authProblems, ...apiProblems },
});

export const listFiles = defineRoute({
  method: 'get',
  path: '/',
  auth: 'required',
  tags,
  summary: 'My files, newest first',
  request: { query: ListFilesQuery },
  responses: { 200: { description: 'A page of files', ...json(pageOf(FileMeta)) }, ...authProblems, ...apiProblems },
});

export const downloadFile = defineRoute({
  method: 'get',
  path: '/{id}',
  auth: 'optional',
  tags,
  summary: 'Download a file',
  description:
    'Public files to anyone; private files only to their owner and admins (404 to everyone else). ' +
    'Honours If-None-Match (304) and a single `Range: bytes=a-b | a- | -n` (206; If-Range supported; several ranges get the whole file).',
  request: { params: FileIdParams },
  responses: {
    200: { description: 'The bytes', headers: downloadHeaders, ...bytes },
    206: { description: 'The requested range', headers: { ...downloadHeaders, 'Content-Range': header('bytes a-b/size') }, ...bytes },
    304: { description: 'Not modified (If-None-Match matched the ETag)' },
    416: {
      description: 'The range lies outside the file (RANGE_NOT_SATISFIABLE); Content-Range: bytes */size',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
    ...problems(404),
    ...authProblems,
    ...apiProblems,
  },
});

export const deleteFile = defineRoute({
  method: 'delete',
  path: '/{id}',
  auth: 'required',
  tags,
  summary: 'Delete a file (owner or admin)',
  description: 'The object leaves storage once no other file shares its bytes. A product image is 409: remove it from the product.',
  request: { params: FileIdParams },
  responses: { 204: { description: 'Deleted' }, ...problems(404, 409), ...authProblems, ...apiProblems },
});
