
/**
 * Import rules between the parts of the Worker (see docs/architecture.md, "Domains and their
 * public faces"). Run by `npm run lint`; a violation fails it and prints the offending import.
 * Paths are relative to the repository root.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-domain-cycles',
      comment: 'Domain folders form a one-way graph: if A uses B, B never uses A (an event decouples the way back).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^workers/[^/]+$' },
      to: { path: '^workers/[^/]+', circular: true },
    },
    {
      name: 'no-circular',
      comment: 'No import circles between modules anywhere (Worker code and local tooling alike).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-uses-public-face',
      comment:
        "A domain uses another domain only through that domain's public face, workers/<domain>/public.ts; " +
        'its router and internals are its own.',
      severity: 'error',
      from: { path: '^workers/([^/]+)/' },
      to: { path: '^workers/[^/]+/', pathNot: ['^workers/$1/', '^workers/[^/]+/public\\.ts$'] },
    },
    {
      name: 'domain-not-into-root',
      comment:
        'The files at the top of workers/ (entry, app, queue dispatch, cron) compose the domains; ' +
        'a domain never imports them back. Types they share live in shared/.',
      severity: 'error',
      from: { path: '^workers/[^/]+/' },
      to: { path: '^workers/[^/]+\\.ts$', pathNot: '\\.d\\.ts$' },
    },
    {
      name: 'root-uses-routers-and-faces',
      comment: "The composition root mounts a domain's router (index.ts) or calls its public face, nothing else.",
      severity: 'error',
      from: { path: '^workers/[^/]+\\.ts$' },
      to: { path: '^workers/[^/]+/', pathNot: '^workers/[^/]+/(index|public)\\.ts$' },
    },
    {
      name: 'durable-objects-through-clients',
      comment:
        "Code outside durable-objects/ reaches a Durable Object through its client (durable-objects/*-client.ts), " +
        'which owns the object naming and re-exports the types callers need. Only the Worker entry exports the classes.',
      severity: 'error',
      from: { path: '^(workers|shared)/', pathNot: '^workers/index\\.ts$' },
      to: { path: '^durable-objects/', pathNot: '^durable-objects/[^/]+-client\\.ts$' },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'shared/ is what every domain may use; it never depends on a domain or a Durable Object.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(workers|durable-objects)/' },
    },
    {
      name: 'durable-objects-not-into-workers',
      comment: 'Durable Objects depend on shared/ only; the Worker calls them, never the reverse.',
      severity: 'error',
      from: { path: '^durable-objects/' },
      to: { path: '^workers/' },
    },
    {
      name: 'bundle-not-into-tooling',
      comment: 'Nothing the Worker bundles imports local tooling or tests.',
      severity: 'error',
      from: { path: '^(workers|shared|durable-objects)/' },
      to: { path: '^(scripts|test)/' },
    },
  ],
  options: {
    // `import type` counts: a type-only import still couples the two modules' authors.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
