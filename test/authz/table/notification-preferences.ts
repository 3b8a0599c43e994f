import { type AccessTable, open, signedIn } from '../types';

/** /notifications/preferences (every signed-in user's own choices) and Eskiz's delivery reports. */
export const notificationPreferences: AccessTable = {
  'GET /api/v1/notifications/preferences': { request: () => ({}), expect: signedIn(200) },
  'PUT /api/v1/notifications/preferences': {
    request: () => ({ body: { preferences: [{ kind: 'order.paid', channel: 'sms', enabled: false }] } }),
    // Always the caller's own choices: there is no one else's to reach.
    expect: signedIn(200),
  },
  'POST /api/v1/notifications/sms/reports': {
    request: () => ({ query: { key: 'not-the-callback-key' }, body: { request_id: 'r-1', status: 'DELIVRD' } }),
    expect: open(401),
    note: 'Eskiz calls it: authenticated by the key in the callback URL, never by a bearer token; without the key (here: no ESKIZ_CALLBACK_KEY set) everyone gets 401.',
  },
};
