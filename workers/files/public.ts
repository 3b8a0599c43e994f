/**
 * What other domains may use from files: product images are uploaded files, so products
 * checks the type, builds file URLs and releases objects a product no longer uses.
 */
export { releaseFiles } from './objects';
export { isImage } from './sniff';
export { FILE_URL_PREFIX } from './schemas';
