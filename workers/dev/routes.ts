import { apiProblems, problems } from '../../shared/openapi';
import { defineRoute } from '../../shared/route';
import { pageOf } from '../../shared/pagination';
import { OutboxEmail, OutboxQuery } from './schemas';

export const listOutbox = defineRoute({
  method: 'get',
  path: '/outbox',
  auth: 'none',
  tags: ['Development'],
  summary: 'Emails the local outbox "sent" (development only)',
  description:
    'Only when DEV_ROUTES is on (`npm run dev`); 404 otherwise. Without an email provider, development ' +
    'and test deployments store every rendered email here instead of sending it. Newest first. No authentication.',
  request: { query: OutboxQuery },
  responses: {
    200: { description: 'A page of emails', content: { 'application/json': { schema: pageOf(OutboxEmail) } } },
    ...problems(404),
    ...apiProblems,
  },
});
