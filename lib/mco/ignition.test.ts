import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeFileContents,
  ignitionOrigin,
  INVALID_VERSION_MESSAGE,
  parseIgnition,
  UNKNOWN_VERSION_MESSAGE,
} from './ignition';
import { McoError } from './types';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The url-encoded /etc/mco/proxy.env from the MCO documentation (the seed case). */
const DOC_PROXY_ENV =
  'data:,%23%20Proxy%20environment%20variables%20will%20be%20populated%20in%20this%20file.%20Properly%0A%23%20url%20encoded%20passwords%20with%20special%20characters%20will%20use%20%27%25%3CHEX%3E%3CHEX%3E%27.%0A%23%20Systemd%20requires%20any%20%25%20used%20in%20a%20value%20to%20be%20escaped%20as%20%25%25%20in%20a%20unit%0A%23%20Environment%20file.%20Users%20should%20use%20%25%25%3CHEX%3E%3CHEX%3E%20in%20this%20file.%0A%23%20Users%20should%20not%20use%20HTTP%20proxy%20settings%20for%20anything%20other%20than%20the%20cluster%20proxy.%0A%23%20HTTP%20proxy%20settings%20for%20other%20services%20should%20be%20set%20in%20their%20own%20configuration%20files.%0A';

function expectMcoError(fn: () => unknown, message: string | RegExp) {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(McoError);
  if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
  else expect((thrown as Error).message).toMatch(message);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

describe('decodeFileContents', () => {
  it('decodes the documented proxy.env to its six comment lines', () => {
    const lines = text(decodeFileContents(DOC_PROXY_ENV)).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual([
      '# Proxy environment variables will be populated in this file. Properly',
      "# url encoded passwords with special characters will use '%<HEX><HEX>'.",
      '# Systemd requires any % used in a value to be escaped as %% in a unit',
      '# Environment file. Users should use %%<HEX><HEX> in this file.',
      '# Users should not use HTTP proxy settings for anything other than the cluster proxy.',
      '# HTTP proxy settings for other services should be set in their own configuration files.',
    ]);
  });

  it('decodes percent-encoded and base64 data URLs with media types and parameters', () => {
    expect(text(decodeFileContents('data:,hello%20world%0A'))).toBe('hello world\n');
    expect(text(decodeFileContents('data:text/plain;charset=utf-8;base64,aGVsbG8gd29ybGQK'))).toBe('hello world\n');
    expect(text(decodeFileContents('data:;base64,aGk='))).toBe('hi');
    expect(text(decodeFileContents('data:x-custom/thing;a="q;,";base64,aGk='))).toBe('hi');
    // `+` is a literal plus in a data URL, not a space.
    expect(text(decodeFileContents('data:,a+b%2Bc'))).toBe('a+b+c');
    // Percent escapes give raw bytes, not characters.
    expect(Array.from(decodeFileContents('data:,%FF%00%80'))).toEqual([0xff, 0x00, 0x80]);
    expect(text(decodeFileContents('data:,caf%C3%A9'))).toBe('caf\u00e9');
  });

  it('gives empty content for a nil source and for "data:,"', () => {
    expect(decodeFileContents(null).length).toBe(0);
    expect(decodeFileContents(undefined, 'gzip').length).toBe(0);
    expect(decodeFileContents('data:,').length).toBe(0);
  });

  it('gunzips gzip contents and keeps raw bytes for "" and null compression', () => {
    const raw = new TextEncoder().encode('[crio]\ninternal_wipe = true\n'.repeat(50));
    const gz = gzipSync(raw);
    const url = `data:;base64,${toBase64(gz)}`;
    expect(decodeFileContents(url, 'gzip')).toEqual(raw);
    expect(decodeFileContents(url, '')).toEqual(gz);
    expect(decodeFileContents(url, null)).toEqual(gz);
  });

  it("refuses bad input with the messages of the MCO's decoder (vincent-petithory/dataurl, Go gzip)", () => {
    const prefix = 'could not decode file content string: ';
    expectMcoError(() => decodeFileContents('data:,x', 'bzip2'), 'unsupported compression type "bzip2"');
    expectMcoError(() => decodeFileContents('data:text/plain;base64'), `${prefix}unterminated parameter sequence`);
    expectMcoError(() => decodeFileContents('data:text/plain'), `${prefix}incomplete media type`);
    expectMcoError(() => decodeFileContents('data:'), `${prefix}missing comma before data`);
    expectMcoError(() => decodeFileContents('https://example.com/x'), `${prefix}missing data prefix`);
    expectMcoError(() => decodeFileContents('DATA:,x'), `${prefix}missing data prefix`);
    expectMcoError(() => decodeFileContents('data:foo/bar,x'), `${prefix}invalid media type`);
    expectMcoError(() => decodeFileContents('data:;foo,x'), `${prefix}expected base64, got foo`);
    expectMcoError(() => decodeFileContents('data:,two words'), `${prefix}invalid data character`);
    expectMcoError(() => decodeFileContents('data:,caf\u00e9'), `${prefix}invalid data character`);
    expectMcoError(() => decodeFileContents('data:;base64,aGVsbG8*'), `${prefix}invalid data character`);
    expectMcoError(() => decodeFileContents('data:;base64,aGVsbG8'), `${prefix}illegal base64 data at input byte 4`);
    expectMcoError(() => decodeFileContents('data:;base64,aG==aGVs'), `${prefix}illegal base64 data at input byte 4`);
    expectMcoError(() => decodeFileContents('data:;base64,aGk=\r'), `${prefix}invalid data character`);
    expectMcoError(() => decodeFileContents('data:,100%'), `${prefix}rfc2396: unexpected end of unescape sequence`);
    expectMcoError(() => decodeFileContents('data:,%zz'), `${prefix}rfc2396: invalid char 0x25 in unescape sequence`);
    expectMcoError(
      () => decodeFileContents('data:,not-gzip-data', 'gzip'),
      'could not create gzip reader: gzip: invalid header',
    );
    expectMcoError(() => decodeFileContents('data:,abc', 'gzip'), 'could not create gzip reader: unexpected EOF');
    expectMcoError(() => decodeFileContents('data:,', 'gzip'), 'could not create gzip reader: EOF');
    const gz = gzipSync(new TextEncoder().encode('some text that compresses '.repeat(100)));
    expectMcoError(
      () => decodeFileContents(`data:;base64,${toBase64(gz.slice(0, gz.length / 2))}`, 'gzip'),
      /^failed decompressing: /,
    );
    const badCrc = gz.slice();
    badCrc[badCrc.length - 6] ^= 0xff;
    expectMcoError(
      () => decodeFileContents(`data:;base64,${toBase64(badCrc)}`, 'gzip'),
      'failed decompressing: gzip: invalid checksum',
    );
  });

  it('gunzips every member of a concatenated gzip stream, as Go does', () => {
    const a = gzipSync(new TextEncoder().encode('first\n'));
    const b = gzipSync(new TextEncoder().encode('second\n'));
    const both = new Uint8Array([...a, ...b]);
    expect(text(decodeFileContents(`data:;base64,${toBase64(both)}`, 'gzip'))).toBe('first\nsecond\n');
  });

  it('decodes 10 MB sources (percent-encoded and base64) without blowing the stack', () => {
    // Periodic inputs keep building them cheap: 'AAECAwQF' is the bytes 0..5.
    const quanta = (10 * 1024 * 1024) / 8;
    const b64 = decodeFileContents(`data:application/octet-stream;base64,${'AAECAwQF'.repeat(quanta)}`);
    expect(b64.length).toBe(quanta * 6);
    expect(Array.from(b64.subarray(b64.length - 7))).toEqual([5, 0, 1, 2, 3, 4, 5]);
    const size = 10 * 1024 * 1024;
    const pct = decodeFileContents(`data:,${'%41b'.repeat(size / 2)}`);
    expect(pct.length).toBe(size);
    expect(text(pct.subarray(size - 4))).toBe('AbAb');
    // A broken byte at the very end of a big source is still found and reported.
    expect(() => decodeFileContents(`data:;base64,${'AAECAwQF'.repeat(quanta)}A===`)).toThrow(
      `illegal base64 data at input byte ${quanta * 8 + 1}`,
    );
  });
});

describe('parseIgnition', () => {
  it('accepts 3.0 to 3.5 and keeps the config as it is', () => {
    for (const v of ['3.0.0', '3.1.0', '3.2.0', '3.3.0', '3.4.0', '3.5.0']) {
      const cfg = parseIgnition({ ignition: { version: v }, storage: { files: [{ path: '/a', mode: 420 }] } });
      expect(cfg.ignition.version).toBe(v);
      expect(cfg.storage?.files?.[0]).toEqual({ path: '/a', mode: 420 });
      expect(ignitionOrigin(cfg)).toEqual({ sourceVersion: v, spec: 3 });
    }
  });

  it('parses JSON text and returns its own result unchanged', () => {
    const cfg = parseIgnition('{"ignition":{"version":"3.2.0"},"passwd":{"users":[{"name":"core"}]}}');
    expect(cfg.passwd?.users?.[0].name).toBe('core');
    expect(parseIgnition(cfg)).toBe(cfg);
  });

  it('refuses other versions with the MCO messages', () => {
    for (const v of ['3.6.0', '4.0.0', '2.1.0', '2.3.0', '3.4.1', '3.4.0-experimental', '1.0.0']) {
      expectMcoError(() => parseIgnition({ ignition: { version: v } }), UNKNOWN_VERSION_MESSAGE);
    }
    for (const v of [undefined, '', '3.4', 'three', 34]) {
      expectMcoError(() => parseIgnition({ ignition: { version: v } }), INVALID_VERSION_MESSAGE);
    }
    expectMcoError(() => parseIgnition({}), INVALID_VERSION_MESSAGE);
    expect(UNKNOWN_VERSION_MESSAGE).toBe(
      'parsing Ignition config failed: unknown version. Supported spec versions: 2.2, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5',
    );
  });

  it('names the field of a wrong type', () => {
    const files = [{ path: '/a' }, { path: '/b' }, { path: '/c' }, { path: '/d', mode: '420' }];
    expectMcoError(
      () => parseIgnition({ ignition: { version: '3.4.0' }, storage: { files } }),
      'storage.files[3].mode: expected a number, got string "420"',
    );
    expectMcoError(
      () => parseIgnition({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/a', mode: 4.5 }] } }),
      /^storage\.files\[0\]\.mode: expected an integer/,
    );
    expectMcoError(
      () =>
        parseIgnition({ ignition: { version: '3.4.0' }, systemd: { units: [{ name: 'a', dropins: [{ name: 1 }] }] } }),
      'systemd.units[0].dropins[0].name: expected a string, got number 1',
    );
    expectMcoError(
      () =>
        parseIgnition({
          ignition: { version: '3.4.0' },
          passwd: { users: [{ name: 'core', sshAuthorizedKeys: 'k' }] },
        }),
      'passwd.users[0].sshAuthorizedKeys: expected an array, got string "k"',
    );
    expectMcoError(
      () =>
        parseIgnition({
          ignition: { version: '3.4.0' },
          storage: { files: [{ path: '/a', contents: { source: 5 } }] },
        }),
      'storage.files[0].contents.source: expected a string, got number 5',
    );
    expectMcoError(() => parseIgnition('{"ignition":'), /config is not valid JSON/);
    expectMcoError(() => parseIgnition([1]), 'Ignition config: expected an object, got an array');
    // v3 `append` is a list of resources.
    expectMcoError(
      () => parseIgnition({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/a', append: true }] } }),
      'storage.files[0].append: expected an array, got boolean true',
    );
  });

  it('normalises spec 2.2 as the MCO does: last duplicate wins, reversed order, dropins concatenated', () => {
    const v2 = {
      ignition: { version: '2.2.0' },
      storage: {
        files: [
          { filesystem: 'root', path: '/etc/a', mode: 420, contents: { source: 'data:,first' } },
          { filesystem: 'root', path: '/etc/b', mode: 384, contents: { source: 'data:,b' }, user: { name: 'root' } },
          { filesystem: 'root', path: '/etc/a', mode: 493, contents: { source: 'data:,second' } },
          { filesystem: 'root', path: '/etc/log', append: true, contents: { source: 'data:,more' } },
        ],
      },
      systemd: {
        units: [
          {
            name: 'x.service',
            contents: 'old',
            dropins: [
              { name: '10-a.conf', contents: 'a' },
              { name: '20-b.conf', contents: 'b1' },
            ],
          },
          { name: 'y.service', enable: true, mask: false },
          { name: 'x.service', contents: 'new', enabled: true, dropins: [{ name: '20-b.conf', contents: 'b2' }] },
          { name: 'z.service', mask: true },
        ],
      },
      passwd: {
        users: [
          { name: 'core', sshAuthorizedKeys: ['key-1', 'key-2'] },
          { name: 'core', sshAuthorizedKeys: ['key-3', 'key-1'] },
        ],
      },
      networkd: {},
    };
    const cfg = parseIgnition(v2);
    expect(cfg.ignition.version).toBe('3.4.0');
    expect(ignitionOrigin(cfg)).toEqual({ sourceVersion: '2.2.0', spec: 2 });
    expect(cfg.storage?.files).toEqual([
      { path: '/etc/log', append: [{ source: 'data:,more' }] },
      { path: '/etc/a', mode: 493, contents: { source: 'data:,second' } },
      { path: '/etc/b', mode: 384, contents: { source: 'data:,b' }, user: { name: 'root' } },
    ]);
    expect(cfg.systemd?.units).toEqual([
      { name: 'z.service', mask: true },
      {
        name: 'x.service',
        contents: 'new',
        enabled: true,
        dropins: [
          { name: '20-b.conf', contents: 'b2' },
          { name: '10-a.conf', contents: 'a' },
        ],
      },
      { name: 'y.service', enabled: true },
    ]);
    expect(cfg.passwd?.users).toEqual([{ name: 'core', sshAuthorizedKeys: ['key-3', 'key-1', 'key-2'] }]);
    expect('networkd' in cfg).toBe(false);
    // The input is left alone.
    expect(v2.storage.files[0].filesystem).toBe('root');
  });

  it('refuses non-core users in spec 2.2 configs and v2 shapes with wrong types', () => {
    expectMcoError(
      () => parseIgnition({ ignition: { version: '2.2.0' }, passwd: { users: [{ name: 'admin' }] } }),
      'unexpected user with name: admin. Only core user is supported',
    );
    expectMcoError(
      () => parseIgnition({ ignition: { version: '2.2.0' }, storage: { files: [{ path: '/a', append: 'yes' }] } }),
      'storage.files[0].append: expected a boolean, got string "yes"',
    );
  });
});
