import { describe, expect, it } from 'vitest';
import {
  NONE_STANDALONE_MESSAGE,
  REBOOT_STANDALONE_MESSAGE,
  RELOAD_MESSAGE,
  RESTART_MESSAGE,
  SERVICE_NAME_MESSAGE,
  SERVICE_TYPE_MESSAGE,
  validateNodeDisruptionPolicy,
} from './validate';

const P = 'spec.nodeDisruptionPolicy';
const file = (actions: unknown, path: unknown = '/etc/x') => ({ files: [{ path, actions }] });

describe('validateNodeDisruptionPolicy (the CRD rules)', () => {
  it.each([
    ['empty', {}],
    ['absent', undefined],
    [
      'defaults-like',
      {
        files: [
          {
            path: '/etc/a',
            actions: [{ type: 'Restart', restart: { serviceName: 'a.service' } }, { type: 'DaemonReload' }],
          },
        ],
        sshkey: { actions: [{ type: 'None' }] },
      },
    ],
    [
      'unit names with escapes',
      { units: [{ name: 'dev-disk-by\\x2dlabel-root.device', actions: [{ type: 'None' }] }] },
    ],
  ])('accepts %s', (_n, policy) => {
    expect(validateNodeDisruptionPolicy(policy)).toEqual([]);
  });

  it.each([
    [
      'Reboot with another action',
      file([{ type: 'Reboot' }, { type: 'Drain' }]),
      [
        {
          field: `${P}.files[0].actions`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "array": ${REBOOT_STANDALONE_MESSAGE}`,
        },
      ],
    ],
    [
      'None with another action',
      { sshkey: { actions: [{ type: 'None' }, { type: 'DaemonReload' }] } },
      [
        {
          field: `${P}.sshkey.actions`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "array": ${NONE_STANDALONE_MESSAGE}`,
        },
      ],
    ],
    [
      'Reload without reload',
      file([{ type: 'Reload' }]),
      [
        {
          field: `${P}.files[0].actions[0]`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "object": ${RELOAD_MESSAGE}`,
        },
      ],
    ],
    [
      'restart on a Reload',
      file([{ type: 'Reload', reload: { serviceName: 'a.service' }, restart: { serviceName: 'a.service' } }]),
      [
        {
          field: `${P}.files[0].actions[0]`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "object": ${RESTART_MESSAGE}`,
        },
      ],
    ],
    [
      'an unknown action type',
      file([{ type: 'Special' }]),
      [
        {
          field: `${P}.files[0].actions[0].type`,
          reason: 'FieldValueNotSupported',
          message:
            'Unsupported value: "Special": supported values: "Reboot", "Drain", "Reload", "Restart", "DaemonReload", "None"',
        },
      ],
    ],
    [
      'a service without a type suffix',
      file([{ type: 'Restart', restart: { serviceName: 'crio' } }]),
      [
        {
          field: `${P}.files[0].actions[0].restart.serviceName`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "string": ${SERVICE_TYPE_MESSAGE}`,
        },
        {
          field: `${P}.files[0].actions[0].restart.serviceName`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "string": ${SERVICE_NAME_MESSAGE}`,
        },
      ],
    ],
    [
      'a service name with a bad character',
      { units: [{ name: 'my unit.service', actions: [{ type: 'None' }] }] },
      [
        {
          field: `${P}.units[0].name`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "string": ${SERVICE_NAME_MESSAGE}`,
        },
      ],
    ],
    [
      'a missing path',
      { files: [{ actions: [{ type: 'None' }] }] },
      [{ field: `${P}.files[0].path`, reason: 'FieldValueRequired', message: 'Required value' }],
    ],
    [
      'missing actions',
      { files: [{ path: '/a' }] },
      [{ field: `${P}.files[0].actions`, reason: 'FieldValueRequired', message: 'Required value' }],
    ],
    [
      'sshkey without actions',
      { sshkey: {} },
      [{ field: `${P}.sshkey.actions`, reason: 'FieldValueRequired', message: 'Required value' }],
    ],
    [
      'a duplicate path',
      {
        files: [
          { path: '/a', actions: [{ type: 'None' }] },
          { path: '/a', actions: [{ type: 'None' }] },
        ],
      },
      [
        {
          field: `${P}.files[1]`,
          reason: 'FieldValueDuplicate',
          message: 'Duplicate value: map[string]interface {}{"path":"/a"}',
        },
      ],
    ],
    [
      'a path of the wrong type',
      file([{ type: 'None' }], 5),
      [
        {
          field: `${P}.files[0].path`,
          reason: 'FieldValueInvalid',
          message: `Invalid value: "integer": ${P}.files[0].path in body must be of type string: "integer"`,
        },
      ],
    ],
  ])('refuses %s', (_n, policy, want) => {
    expect(validateNodeDisruptionPolicy(policy)).toEqual(want);
  });

  it('counts list sizes and name lengths', () => {
    const many = { files: Array.from({ length: 51 }, (_, i) => ({ path: `/p${i}`, actions: [{ type: 'None' }] })) };
    expect(validateNodeDisruptionPolicy(many)).toEqual([
      { field: `${P}.files`, reason: 'FieldValueTooMany', message: 'Too many: 51: must have at most 50 items' },
    ]);
    const tooManyActions = file(Array.from({ length: 11 }, () => ({ type: 'DaemonReload' })));
    expect(validateNodeDisruptionPolicy(tooManyActions)[0]).toEqual({
      field: `${P}.files[0].actions`,
      reason: 'FieldValueTooMany',
      message: 'Too many: 11: must have at most 10 items',
    });
    const long = { units: [{ name: `${'a'.repeat(250)}.service`, actions: [{ type: 'None' }] }] };
    expect(validateNodeDisruptionPolicy(long, '4.20')).toEqual([
      { field: `${P}.units[0].name`, reason: 'FieldValueTooLong', message: 'Too long: may not be more than 255 bytes' },
    ]);
    expect(validateNodeDisruptionPolicy(long, '4.16')[0].message).toBe('Too long: may not be longer than 255');
  });
});
