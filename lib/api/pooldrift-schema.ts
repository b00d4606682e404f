// The JSON Schema (draft 2020-12) of the pool drift JSON report (lib/api/pooldrift PoolDriftReport), for tools that
// read it and for the tests that check the console's report against it. Data only.
const side = {
  type: 'object',
  required: ['sha256', 'mode', 'size', 'text', 'binary'],
  properties: {
    sha256: { type: ['string', 'null'], pattern: '^[0-9a-f]{64}$' },
    mode: { type: ['integer', 'null'], minimum: 0 },
    size: { type: ['integer', 'null'], minimum: 0 },
    text: { type: ['string', 'null'] },
    binary: { type: 'boolean' },
    redacted: { type: 'boolean' },
  },
} as const;

const nodeError = {
  type: 'object',
  required: ['node', 'message'],
  properties: { node: { type: 'string' }, message: { type: 'string' } },
} as const;

const time = { type: 'string', format: 'date-time' } as const;
const names = { type: 'array', items: { type: 'string' } } as const;

export const poolDriftReportSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://plumb.example.com/schemas/pooldrift-v1.json',
  title: 'Plumb pool drift report',
  type: 'object',
  required: ['report', 'generatedAt', 'pool', 'scan', 'result', 'restores', 'revealed'],
  properties: {
    report: { const: 'plumb.pooldrift/v1' },
    generatedAt: time,
    pool: { type: 'string' },
    revealed: { type: 'boolean' },
    scan: {
      type: ['object', 'null'],
      required: [
        'id',
        'pool',
        'scope',
        'state',
        'startedBy',
        'startedAt',
        'finishedAt',
        'total',
        'done',
        'errors',
        'message',
      ],
      properties: {
        id: { type: 'string' },
        pool: { type: 'string' },
        scope: { enum: ['degraded', 'all'] },
        state: { enum: ['running', 'done', 'cancelled', 'failed'] },
        startedBy: { type: 'string' },
        startedAt: time,
        finishedAt: { anyOf: [time, { type: 'null' }] },
        total: { type: 'integer', minimum: 0 },
        done: { type: 'integer', minimum: 0 },
        errors: { type: 'array', items: nodeError },
        message: { type: ['string', 'null'] },
      },
    },
    result: {
      type: ['object', 'null'],
      required: [
        'scanId',
        'scope',
        'scannedBy',
        'checkedAt',
        'complete',
        'nodesScanned',
        'cleanNodes',
        'errors',
        'groups',
      ],
      properties: {
        scanId: { type: 'string' },
        scope: { enum: ['degraded', 'all'] },
        scannedBy: { type: 'string' },
        checkedAt: time,
        complete: { type: 'boolean' },
        nodesScanned: { type: 'integer', minimum: 0 },
        cleanNodes: { type: 'integer', minimum: 0 },
        errors: { type: 'array', items: nodeError },
        groups: {
          type: 'array',
          items: {
            type: 'object',
            required: [
              'id',
              'path',
              'hash',
              'mode',
              'kind',
              'status',
              'reason',
              'sensitive',
              'nodes',
              'restoredNodes',
              'configs',
              'expected',
              'actual',
            ],
            properties: {
              id: { type: 'string' },
              path: { type: 'string', pattern: '^/' },
              hash: { type: 'string', pattern: '^([0-9a-f]{64}|missing|unreadable|symlink|directory|other)$' },
              mode: { type: ['integer', 'null'] },
              kind: { type: 'string' },
              status: { enum: ['content', 'mode', 'missing', 'unreadable'] },
              reason: { type: 'string' },
              sensitive: { type: 'boolean' },
              nodes: names,
              restoredNodes: names,
              configs: names,
              expected: side,
              actual: { anyOf: [side, { type: 'null' }] },
            },
          },
        },
      },
    },
    restores: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'id',
          'pool',
          'groupId',
          'path',
          'startedBy',
          'startedAt',
          'finishedAt',
          'state',
          'batchSize',
          'maxFailures',
          'policyAction',
          'nodes',
        ],
        properties: {
          state: { enum: ['running', 'done', 'stopped'] },
          nodes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['node', 'state', 'message'],
              properties: {
                node: { type: 'string' },
                state: { enum: ['pending', 'running', 'restored', 'failed', 'skipped'] },
                message: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
    },
  },
} as const;
