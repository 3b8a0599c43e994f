import { securityMatrix } from '../../support/security';
import { uzAddress } from '../../support/addresses';

// Any well-formed uuid: the security checks answer before the id is looked up.
const someId = '01930000-0000-7000-8000-00000000abcd';

// Admin user management: only an admin; customers and sellers get 403.
securityMatrix({ method: 'GET', path: '/users', roles: ['admin'] });
securityMatrix({ method: 'GET', path: `/users/${someId}`, roles: ['admin'] });
securityMatrix({ method: 'PATCH', path: `/users/${someId}`, body: { disabled: false }, roles: ['admin'] });
securityMatrix({ method: 'DELETE', path: `/users/${someId}`, roles: ['admin'] });

// The caller's own addresses: any signed-in user.
securityMatrix({ method: 'GET', path: '/users/me/addresses' });
securityMatrix({ method: 'POST', path: '/users/me/addresses', body: uzAddress() });
securityMatrix({ method: 'GET', path: `/users/me/addresses/${someId}` });
securityMatrix({ method: 'PUT', path: `/users/me/addresses/${someId}`, body: uzAddress() });
securityMatrix({ method: 'DELETE', path: `/users/me/addresses/${someId}` });
