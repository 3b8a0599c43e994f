import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../shared/pagination';
import { ALLOWED_TYPES } from './sniff';

/** Where a file is downloaded; product images are listed by this URL. */
export const FILE_URL_PREFIX = '/api/v1/files/';
export const fileUrl = (id: string) => `${FILE_URL_PREFIX}${id}`;

export const Visibility = z
  .enum(['public', 'private'])
  .openapi({ description: 'public: anyone with the URL may download it; private: only its owner and admins', example: 'private' });

export const UploadForm = z
  .object({
    file: z
      .instanceof(File, { message: 'must be a file part named `file`' })
      .openapi({ type: 'string', format: 'binary', description: `The file; its bytes must be one of ${ALLOWED_TYPES.join(', ')}` }),
    visibility: Visibility.default('private'),
  })
  .openapi('UploadForm');

export const FileMeta = z
  .object({
    id: z.uuid().openapi({ description: 'File id', example: '01930000-0000-7000-8000-0000000000f1' }),
    filename: z.string().openapi({ description: 'The uploaded name, without any path', example: 'front.png' }),
    contentType: z.string().openapi({ description: 'Sniffed from the bytes, not taken from the client', example: 'image/png' }),
    size: z.number().int().openapi({ description: 'Bytes', example: 48213 }),
    sha256: z.string().openapi({ description: 'Hex SHA-256 of the bytes (also the strong ETag)', example: 'e3b0c442…' }),
    visibility: Visibility,
    url: z.string().openapi({ description: 'Where to download it', example: '/api/v1/files/01930000-0000-7000-8000-0000000000f1' }),
    createdAt: z.iso.datetime().openapi({ example: '2026-11-28T08:00:00.000Z' }),
  })
  .openapi('File');

export const FileIdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '01930000-0000-7000-8000-0000000000f1' }),
});

export const ListFilesQuery = PageQuerySchema;

export type UploadForm = z.infer<typeof UploadForm>;
export type FileMeta = z.infer<typeof FileMeta>;
