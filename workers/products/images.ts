import { z } from '@hono/zod-openapi';
import { principalOf } from '../../shared/auth/middleware';
import { apiProblems, authProblems, json, problems, type Router } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import * as service from './images-service';
import { Product, ProductIdParams } from './schemas';

const tags = ['Products'];

const fileIds = z
  .array(z.uuid().openapi({ description: 'Id of an uploaded image (POST /files)' }))
  .max(service.MAX_PRODUCT_IMAGES)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a file');

export const ImageFileIds = z
  .strictObject({ fileIds: fileIds.min(1).openapi({ description: 'Images to add, in order', example: ['01930000-0000-7000-8000-0000000000f1'] }) })
  .openapi('ImageFileIds');
export const ImageOrder = z
  .strictObject({ fileIds: fileIds.openapi({ description: 'All the images, in display order (others are removed)', example: [] }) })
  .openapi('ImageOrder');
const ImageParams = ProductIdParams.extend({
  fileId: z.uuid().openapi({ param: { name: 'fileId', in: 'path' }, example: '01930000-0000-7000-8000-0000000000f1' }),
});

const rules =
  'Seller of the product or admin (someone else’s product is 404). Files must be images the caller uploaded (admin: anyone’s); ' +
  'attaching makes them public. `images` lists their URLs (`/api/v1/files/{id}`) in order, then any external URLs.';

const attachImages = defineRoute({
  method: 'post',
  path: '/{id}/images',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Attach uploaded images to a product',
  description: `Appends them after the current images; ones already attached keep their place. ${rules}`,
  request: { params: ProductIdParams, body: { ...json(ImageFileIds), required: true } },
  responses: { 200: { description: 'The product', ...json(Product) }, ...problems(404), ...authProblems, ...apiProblems },
});

const replaceImages = defineRoute({
  method: 'put',
  path: '/{id}/images',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Set or reorder a product’s images',
  description: `Exactly these images, in this order; an image left out is removed as by DELETE. ${rules}`,
  request: { params: ProductIdParams, body: { ...json(ImageOrder), required: true } },
  responses: { 200: { description: 'The product', ...json(Product) }, ...problems(404), ...authProblems, ...apiProblems },
});

const detachImage = defineRoute({
  method: 'delete',
  path: '/{id}/images/{fileId}',
  auth: 'required',
  roles: ['seller', 'admin'],
  tags,
  summary: 'Remove an image from a product',
  description: 'The file is deleted, and its object removed from storage, unless another product or upload still uses it.',
  request: { params: ImageParams },
  responses: { 204: { description: 'Removed' }, ...problems(404), ...authProblems, ...apiProblems },
});

/** Product image routes, on the products router (which already requires a token for writes). */
export function registerImageRoutes(products: Router): void {
  products.openapi(attachImages, async (c) =>
    c.json(await service.attachImages(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json').fileIds), 200),
  );
  products.openapi(replaceImages, async (c) =>
    c.json(await service.replaceImages(c.get('deps'), principalOf(c), c.req.valid('param').id, c.req.valid('json').fileIds), 200),
  );
  products.openapi(detachImage, async (c) => {
    const { id, fileId } = c.req.valid('param');
    await service.detachImage(c.get('deps'), principalOf(c), id, fileId);
    return c.body(null, 204);
  });
}
