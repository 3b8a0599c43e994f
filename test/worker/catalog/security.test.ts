import { productInput } from '../../support/catalog';
import { securityMatrix } from '../../support/security';

// Any well-formed uuid: authentication and the role check answer before the id is looked up.
const someId = '01930000-0000-7000-8000-00000000c0de';
const category = { slug: 'security-matrix-category', name: 'Never created' };

// Categories: admin only; customers and sellers get 403.
securityMatrix({ method: 'POST', path: '/categories', body: category, roles: ['admin'] });
securityMatrix({ method: 'PUT', path: `/categories/${someId}`, body: category, roles: ['admin'] });
securityMatrix({ method: 'DELETE', path: `/categories/${someId}`, roles: ['admin'] });

// Products: sellers and admins; customers get 403 (the body is valid, so only the role can refuse it).
securityMatrix({ method: 'POST', path: '/products', body: productInput(someId), roles: ['seller', 'admin'] });
securityMatrix({ method: 'PUT', path: `/products/${someId}`, body: productInput(someId), roles: ['seller', 'admin'] });
securityMatrix({ method: 'DELETE', path: `/products/${someId}`, roles: ['seller', 'admin'] });
