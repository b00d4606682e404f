// The commands of the simulated machine-config-daemon container, behaving like their coreutils namesakes for the
// arguments they accept. The node's `/` is mounted at `/rootfs` in the pod; every other pod path does not exist.
// No shell: the command is an argv array, exactly as `kubectl exec pod -- cat /rootfs/etc/x` sends it.
import { createHash } from 'node:crypto';
import { DAEMON_CONTAINER as MCD_CONTAINER, HOST_ROOT as ROOTFS } from '@/lib/mco/constants';
import type { ExecHandler, ExecRequest, ExecResult } from '../types';
import type { NodeJournal } from './journal';
import { isNodeFSError, NodeFSError, type NodeFS, type NodeStat } from './nodefs';
import {
  disableUnits,
  enableUnits,
  maskUnits,
  unitFileState,
  unmaskUnits,
  VENDOR_UNITS,
  type SystemctlResult,
} from './systemd';

export interface CommandContext {
  fs: NodeFS;
  stdin: Uint8Array | null;
  /** The node's record of service actions (sim/node/journal.ts), which `chroot /rootfs systemctl` writes to. */
  journal?: NodeJournal;
  /** The node's current rendered config, named in the journal entries systemctl writes. */
  currentConfig?: () => string;
}

/** Output collector for one command run. */
class Out {
  private out: Uint8Array[] = [];
  private err: Uint8Array[] = [];
  stdout(data: string | Uint8Array) {
    this.out.push(typeof data === 'string' ? Buffer.from(data) : data);
  }
  stderr(text: string) {
    this.err.push(Buffer.from(text));
  }
  result(exitCode: number): ExecResult {
    return { stdout: Buffer.concat(this.out), stderr: Buffer.concat(this.err), exitCode };
  }
}

/**
 * Maps a pod path to a node path: `/rootfs/etc/x` → `/etc/x`. `..` is clamped at the pod root as the kernel does,
 * so `/rootfs/../etc` is the pod's `/etc`, which does not exist here. Returns null for paths outside /rootfs.
 */
export function podToNodePath(podPath: string): string | null {
  const abs = podPath.startsWith('/') ? podPath : `/${podPath}`;
  const out: string[] = [];
  for (const seg of abs.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  if (out[0] !== ROOTFS.slice(1)) return null;
  return '/' + out.slice(1).join('/');
}

/** The node path, or an ENOENT NodeFSError naming the pod path. */
function nodePath(podPath: string): string {
  const p = podToNodePath(podPath);
  if (p === null) throw new NodeFSError('ENOENT', podPath);
  return p;
}

function errText(err: unknown): string {
  if (isNodeFSError(err)) return err.text;
  return err instanceof Error ? err.message : String(err);
}

/** Splits leading options from operands (`--` ends options; `-` alone is an operand). */
function splitArgs(args: string[]): { opts: string[]; operands: string[] } {
  const opts: string[] = [];
  const operands: string[] = [];
  let done = false;
  for (const a of args) {
    if (!done && a === '--') done = true;
    else if (!done && a.startsWith('-') && a !== '-') opts.push(a);
    else operands.push(a);
  }
  return { opts, operands };
}

/** Expands `-rf` into `r`, `f`; returns the unknown letters. */
function flagLetters(
  opts: string[],
  allowed: string,
  long: Record<string, string> = {},
): { flags: Set<string>; bad: string | null } {
  const flags = new Set<string>();
  for (const o of opts) {
    if (o.startsWith('--')) {
      if (long[o]) flags.add(long[o]);
      else return { flags, bad: o };
      continue;
    }
    for (const ch of o.slice(1)) {
      if (!allowed.includes(ch)) return { flags, bad: `-${ch}` };
      flags.add(ch);
    }
  }
  return { flags, bad: null };
}

function badOption(cmd: string, opt: string, out: Out): ExecResult {
  if (opt.startsWith('--'))
    out.stderr(`${cmd}: unrecognized option '${opt}'\nTry '${cmd} --help' for more information.\n`);
  else out.stderr(`${cmd}: invalid option -- '${opt.slice(1)}'\nTry '${cmd} --help' for more information.\n`);
  return out.result(cmd === 'ls' ? 2 : 1);
}

function missingOperand(cmd: string, out: Out): ExecResult {
  out.stderr(`${cmd}: missing operand\nTry '${cmd} --help' for more information.\n`);
  return out.result(cmd === 'ls' ? 2 : 1);
}

// --- stat formatting ---------------------------------------------------------------------------------------------

const TYPE_BITS: Record<string, number> = { file: 0o100000, directory: 0o040000, symlink: 0o120000, other: 0o010000 };

function modeString(st: NodeStat): string {
  const t = st.type === 'directory' ? 'd' : st.type === 'symlink' ? 'l' : st.type === 'other' ? 'p' : '-';
  const m = st.mode;
  const rwx = (shift: number, special: number, ch: string) => {
    const r = m & (4 << shift) ? 'r' : '-';
    const w = m & (2 << shift) ? 'w' : '-';
    const x = m & (1 << shift);
    const xc = m & special ? (x ? ch : ch.toUpperCase()) : x ? 'x' : '-';
    return r + w + xc;
  };
  return t + rwx(6, 0o4000, 's') + rwx(3, 0o2000, 's') + rwx(0, 0o1000, 't');
}

function fileTypeName(st: NodeStat): string {
  if (st.type === 'file') return st.size === 0 ? 'regular empty file' : 'regular file';
  if (st.type === 'directory') return 'directory';
  if (st.type === 'symlink') return 'symbolic link';
  return 'fifo';
}

/** coreutils' default `shell-escape-always` quoting for %N. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function formatStat(fmt: string, name: string, st: NodeStat, fs: NodeFS, node: string): Promise<string> {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '\\' && i + 1 < fmt.length) {
      // stat -c does not interpret escapes (only --printf does); keep them literally.
      out += ch;
      continue;
    }
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const d = fmt[++i];
    switch (d) {
      case '%':
        out += '%';
        break;
      case 'a':
        out += st.mode.toString(8);
        break;
      case 'A':
        out += modeString(st);
        break;
      case 'f':
        out += (TYPE_BITS[st.type] | st.mode).toString(16);
        break;
      case 'F':
        out += fileTypeName(st);
        break;
      case 's':
        out += String(st.size);
        break;
      case 'n':
        out += name;
        break;
      case 'N':
        out += shellQuote(name);
        if (st.type === 'symlink') out += ' -> ' + shellQuote(await fs.readlink(node));
        break;
      case 'U':
      case 'G':
        out += 'root';
        break;
      case 'u':
        out += String(st.uid);
        break;
      case 'g':
        out += String(st.gid);
        break;
      case 'Y':
        out += String(Math.floor(st.mtimeMs / 1000));
        break;
      case 'h':
        out += String(st.nlink);
        break;
      case undefined:
        out += '%';
        break;
      default:
        out += '?';
    }
  }
  return out;
}

// --- the commands --------------------------------------------------------------------------------------------------

type Command = (args: string[], ctx: CommandContext, out: Out) => Promise<ExecResult>;

async function readInput(operand: string, ctx: CommandContext): Promise<Uint8Array> {
  if (operand === '-') return ctx.stdin ?? new Uint8Array(0);
  return ctx.fs.readFile(nodePath(operand));
}

const cat: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  if (opts.length) return badOption('cat', opts[0], out);
  let code = 0;
  for (const f of operands.length ? operands : ['-']) {
    try {
      out.stdout(await readInput(f, ctx));
    } catch (err) {
      out.stderr(`cat: ${f}: ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const stat: Command = async (args, ctx, out) => {
  let format: string | null = null;
  let follow = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--format') {
      if (i + 1 >= args.length) {
        out.stderr(`stat: option requires an argument -- 'c'\nTry 'stat --help' for more information.\n`);
        return out.result(1);
      }
      format = args[++i];
    } else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-c') && a.length > 2) format = a.slice(2);
    else if (a === '-L' || a === '--dereference') follow = true;
    else if (a === '--') {
      files.push(...args.slice(i + 1));
      i = args.length;
    } else if (a.startsWith('-') && a !== '-') return badOption('stat', a, out);
    else files.push(a);
  }
  if (files.length === 0) return missingOperand('stat', out);
  const fmt = format ?? '  File: %N\n  Size: %s\tLinks: %h\nAccess: (0%a/%A)  Uid: (%u/%U)   Gid: (%g/%G)\nModify: %Y';
  let code = 0;
  for (const f of files) {
    try {
      const p = nodePath(f);
      const st = follow ? await ctx.fs.stat(p) : await ctx.fs.lstat(p);
      out.stdout((await formatStat(fmt, f, st, ctx.fs, p)) + '\n');
    } catch (err) {
      out.stderr(`stat: cannot statx '${f}': ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const test: Command = async (args, ctx, out) => {
  if (args.length === 0) return out.result(1);
  if (args.length === 1) return out.result(args[0] === '' ? 1 : 0);
  if (args.length !== 2) {
    out.stderr(`test: too many arguments\n`);
    return out.result(2);
  }
  const [op, f] = args;
  const p = podToNodePath(f);
  const get = async (follow: boolean): Promise<NodeStat | null> => {
    if (p === null) return null;
    try {
      return follow ? await ctx.fs.stat(p) : await ctx.fs.lstat(p);
    } catch {
      return null;
    }
  };
  let ok: boolean;
  switch (op) {
    case '-e':
      ok = (await get(true)) !== null;
      break;
    case '-f':
      ok = (await get(true))?.type === 'file';
      break;
    case '-d':
      ok = (await get(true))?.type === 'directory';
      break;
    case '-L':
    case '-h':
      ok = (await get(false))?.type === 'symlink';
      break;
    case '-s':
      ok = ((await get(true))?.size ?? 0) > 0;
      break;
    case '-n':
      ok = f.length > 0;
      break;
    case '-z':
      ok = f.length === 0;
      break;
    case '!':
      ok = f === '';
      break;
    default:
      out.stderr(`test: ${op}: unary operator expected\n`);
      return out.result(2);
  }
  return out.result(ok ? 0 : 1);
};

const touch: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  if (opts.length) return badOption('touch', opts[0], out);
  if (!operands.length) return missingOperand('touch', out);
  let code = 0;
  for (const f of operands) {
    try {
      await ctx.fs.touch(nodePath(f));
    } catch (err) {
      out.stderr(`touch: cannot touch '${f}': ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const chmod: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  if (opts.length) return badOption('chmod', opts[0], out);
  if (operands.length === 0) return missingOperand('chmod', out);
  const [modeArg, ...files] = operands;
  if (!/^[0-7]{1,4}$/.test(modeArg)) {
    out.stderr(`chmod: invalid mode: '${modeArg}'\nTry 'chmod --help' for more information.\n`);
    return out.result(1);
  }
  if (files.length === 0) {
    out.stderr(`chmod: missing operand after '${modeArg}'\nTry 'chmod --help' for more information.\n`);
    return out.result(1);
  }
  const mode = parseInt(modeArg, 8);
  let code = 0;
  for (const f of files) {
    try {
      const p = nodePath(f);
      const st = await ctx.fs.stat(p);
      // Like coreutils, a short octal mode keeps a directory's setuid/setgid bits.
      const keep = st.type === 'directory' && modeArg.length < 4 ? st.mode & 0o6000 : 0;
      await ctx.fs.chmod(p, mode | keep);
    } catch (err) {
      out.stderr(`chmod: cannot access '${f}': ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const mv: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const { bad } = flagLetters(opts, 'f');
  if (bad) return badOption('mv', bad, out);
  if (operands.length === 0) return missingOperand('mv', out);
  if (operands.length === 1) {
    out.stderr(`mv: missing destination file operand after '${operands[0]}'\nTry 'mv --help' for more information.\n`);
    return out.result(1);
  }
  const dest = operands[operands.length - 1];
  const sources = operands.slice(0, -1);
  let destIsDir = false;
  try {
    const dp = podToNodePath(dest);
    destIsDir = dp !== null && (await ctx.fs.stat(dp)).type === 'directory';
  } catch {
    destIsDir = false;
  }
  if (sources.length > 1 && !destIsDir) {
    out.stderr(`mv: target '${dest}': Not a directory\n`);
    return out.result(1);
  }
  let code = 0;
  for (const src of sources) {
    let sp: string;
    try {
      sp = nodePath(src);
      await ctx.fs.lstat(sp);
    } catch (err) {
      out.stderr(`mv: cannot stat '${src}': ${errText(err)}\n`);
      code = 1;
      continue;
    }
    const base = sp.split('/').filter(Boolean).pop() ?? '';
    const target = destIsDir ? `${dest.replace(/\/+$/, '')}/${base}` : dest;
    try {
      await ctx.fs.rename(sp, nodePath(target));
    } catch (err) {
      out.stderr(`mv: cannot move '${src}' to '${target}': ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

async function removeRecursive(fs: NodeFS, p: string): Promise<void> {
  const st = await fs.lstat(p);
  if (st.type === 'directory') {
    for (const name of await fs.readdir(p)) await removeRecursive(fs, `${p.replace(/\/$/, '')}/${name}`);
    await fs.rmdir(p);
  } else await fs.unlink(p);
}

const rm: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const { flags, bad } = flagLetters(opts, 'frR', { '--force': 'f', '--recursive': 'r' });
  if (bad) return badOption('rm', bad, out);
  const force = flags.has('f');
  const recursive = flags.has('r') || flags.has('R');
  if (!operands.length) return force ? out.result(0) : missingOperand('rm', out);
  let code = 0;
  for (const f of operands) {
    try {
      const p = nodePath(f);
      if (p === '/') {
        out.stderr(
          `rm: it is dangerous to operate recursively on '${f}'\nrm: use --no-preserve-root to override this failsafe\n`,
        );
        code = 1;
        continue;
      }
      const st = await ctx.fs.lstat(p);
      if (st.type === 'directory' && !recursive) throw new NodeFSError('EISDIR', p);
      if (recursive) await removeRecursive(ctx.fs, p);
      else await ctx.fs.unlink(p);
    } catch (err) {
      if (force && isNodeFSError(err, 'ENOENT')) continue;
      out.stderr(`rm: cannot remove '${f}': ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const tee: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const { flags, bad } = flagLetters(opts, 'a', { '--append': 'a' });
  if (bad) return badOption('tee', bad, out);
  const input = ctx.stdin ?? new Uint8Array(0);
  out.stdout(input);
  let code = 0;
  for (const f of operands) {
    try {
      // tee writes through a symlink to its target and keeps an existing file's mode.
      const p = await ctx.fs.realpath(nodePath(f));
      let mode = 0o644;
      let prefix: Uint8Array = new Uint8Array(0);
      try {
        const st = await ctx.fs.stat(p);
        if (st.type === 'directory') throw new NodeFSError('EISDIR', p);
        mode = st.mode;
        if (flags.has('a')) prefix = await ctx.fs.readFile(p);
      } catch (err) {
        if (!isNodeFSError(err, 'ENOENT')) throw err;
      }
      await ctx.fs.writeFile(p, prefix.length ? Buffer.concat([prefix, input]) : new Uint8Array(input), mode);
    } catch (err) {
      out.stderr(`tee: ${f}: ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const sha256sum: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  if (opts.length) return badOption('sha256sum', opts[0], out);
  let code = 0;
  for (const f of operands.length ? operands : ['-']) {
    try {
      const data = await readInput(f, ctx);
      out.stdout(`${createHash('sha256').update(data).digest('hex')}  ${f}\n`);
    } catch (err) {
      out.stderr(`sha256sum: ${f}: ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const base64: Command = async (args, ctx, out) => {
  let decode = false;
  let wrap = 76;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-d' || a === '--decode') decode = true;
    else if (a === '-w' || a === '--wrap') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) {
        out.stderr(`base64: invalid wrap size: '${v ?? ''}'\n`);
        return out.result(1);
      }
      wrap = Number(v);
    } else if (/^-w\d+$/.test(a)) wrap = Number(a.slice(2));
    else if (a.startsWith('--wrap=')) wrap = Number(a.slice(7));
    else if (a.startsWith('-') && a !== '-') return badOption('base64', a, out);
    else files.push(a);
  }
  if (files.length > 1) {
    out.stderr(`base64: extra operand '${files[1]}'\nTry 'base64 --help' for more information.\n`);
    return out.result(1);
  }
  const f = files[0] ?? '-';
  let data: Uint8Array;
  try {
    data = await readInput(f, ctx);
  } catch (err) {
    out.stderr(`base64: ${f}: ${errText(err)}\n`);
    return out.result(1);
  }
  if (decode) {
    const text = Buffer.from(data).toString('latin1').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
      out.stdout(Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, '').slice(0, Math.floor(text.length / 4) * 4), 'base64'));
      out.stderr('base64: invalid input\n');
      return out.result(1);
    }
    out.stdout(Buffer.from(text, 'base64'));
    return out.result(0);
  }
  const enc = Buffer.from(data).toString('base64');
  if (wrap === 0) out.stdout(enc + (enc.length ? '\n' : ''));
  else {
    const lines: string[] = [];
    for (let i = 0; i < enc.length; i += wrap) lines.push(enc.slice(i, i + wrap));
    out.stdout(lines.map((l) => l + '\n').join(''));
  }
  return out.result(0);
};

const readlink: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const { flags, bad } = flagLetters(opts, 'fenq', { '--canonicalize': 'f' });
  if (bad) return badOption('readlink', bad, out);
  if (!operands.length) return missingOperand('readlink', out);
  let code = 0;
  for (const f of operands) {
    try {
      const p = nodePath(f);
      if (flags.has('f') || flags.has('e')) {
        const real = await ctx.fs.realpath(p);
        if (flags.has('e')) await ctx.fs.stat(real);
        out.stdout(`${ROOTFS}${real === '/' ? '' : real}\n`);
      } else out.stdout((await ctx.fs.readlink(p)) + (flags.has('n') ? '' : '\n'));
    } catch {
      code = 1;
    }
  }
  return out.result(code);
};

const ls: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const { flags, bad } = flagLetters(opts, 'la1dA');
  if (bad) return badOption('ls', bad, out);
  const targets = operands.length ? operands : ['.'];
  let code = 0;
  const long = flags.has('l');
  const line = async (name: string, p: string, st: NodeStat) => {
    if (!long) return name;
    let text = `${modeString(st)} ${st.nlink} root root ${st.size} ${new Date(st.mtimeMs).toISOString().slice(0, 16).replace('T', ' ')} ${name}`;
    if (st.type === 'symlink') text += ` -> ${await ctx.fs.readlink(p)}`;
    return text;
  };
  const blocks: string[] = [];
  for (const t of targets) {
    try {
      // The pod's working directory is `/`, which holds only `rootfs` here.
      if (podToNodePath(t) === null && (t === '.' || t === '/' || t === './')) {
        blocks.push('rootfs\n');
        continue;
      }
      const p = nodePath(t);
      const st = await ctx.fs.lstat(p);
      const dirLike =
        st.type === 'directory' ||
        (st.type === 'symlink' && !long && (await ctx.fs.stat(p).catch(() => null))?.type === 'directory');
      if (!dirLike || flags.has('d')) {
        blocks.push((await line(t, p, st)) + '\n');
        continue;
      }
      let names = await ctx.fs.readdir(p);
      if (!flags.has('a') && !flags.has('A')) names = names.filter((n) => !n.startsWith('.'));
      const lines: string[] = [];
      for (const n of names) {
        const cp = `${p.replace(/\/$/, '')}/${n}`;
        lines.push(await line(n, cp, await ctx.fs.lstat(cp)));
      }
      blocks.push((targets.length > 1 ? `${t}:\n` : '') + lines.map((l) => l + '\n').join(''));
    } catch (err) {
      out.stderr(`ls: cannot access '${t}': ${errText(err)}\n`);
      code = 2;
    }
  }
  out.stdout(blocks.join(targets.length > 1 ? '\n' : ''));
  return out.result(code);
};

const mkdir: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const { flags, bad } = flagLetters(opts, 'p', { '--parents': 'p' });
  if (bad) return badOption('mkdir', bad, out);
  if (!operands.length) return missingOperand('mkdir', out);
  let code = 0;
  for (const d of operands) {
    try {
      const p = nodePath(d);
      if (flags.has('p')) await ctx.fs.mkdirp(p);
      else await ctx.fs.mkdir(p);
    } catch (err) {
      out.stderr(`mkdir: cannot create directory '${d}': ${errText(err)}\n`);
      code = 1;
    }
  }
  return out.result(code);
};

const echo: Command = async (args, _ctx, out) => {
  let newline = true;
  let i = 0;
  while (i < args.length && args[i] === '-n') {
    newline = false;
    i++;
  }
  out.stdout(args.slice(i).join(' ') + (newline ? '\n' : ''));
  return out.result(0);
};

// --- the host's systemd, reached as `chroot /rootfs systemctl …` ------------------------------------------------------
// The daemon container has no systemd of its own; on a real node an administrator (and Plumb) reaches the host's
// through chroot into the host's root, as `oc debug node/x -- chroot /host systemctl reload crio` does. The simulated
// host knows the services the MCO acts on, and any unit file under /etc/systemd/system: reload, restart,
// daemon-reload, and the unit-file verbs is-enabled, enable, disable, mask, unmask (state kept as systemd keeps it,
// sim/node/systemd.ts).

/** systemctl's unit name mangling: a name without a unit suffix is a service. */
function unitName(arg: string): string {
  return /\.(service|socket|target|timer|path|mount|slice|scope|device|swap|automount)$/.test(arg)
    ? arg
    : `${arg}.service`;
}

async function hostUnit(name: string, fs: NodeFS): Promise<{ reload: boolean } | null> {
  if (VENDOR_UNITS[name]) return VENDOR_UNITS[name];
  return (await fs.exists(`/etc/systemd/system/${name}`)) ? { reload: true } : null;
}

/** `is-enabled` prints each unit's state; exit 0 only when every one is enabled or static. */
async function isEnabled(units: string[], fs: NodeFS, out: Out): Promise<ExecResult> {
  let code = 0;
  for (const u of units) {
    const st = await unitFileState(fs, u);
    out.stdout(`${st}\n`);
    if (st !== 'enabled' && st !== 'static') code = 1;
  }
  return out.result(code);
}

const reportTo =
  (run: (fs: NodeFS, units: string[]) => Promise<SystemctlResult>) =>
  async (units: string[], fs: NodeFS, out: Out): Promise<ExecResult> => {
    const r = await run(fs, units);
    for (const m of r.messages) out.stderr(`${m}\n`);
    return out.result(r.code);
  };

/** The unit-file verbs (sim/node/systemd.ts keeps the state where systemd keeps it, as links under /etc). */
const UNIT_FILE_VERBS = {
  'is-enabled': isEnabled,
  enable: reportTo(enableUnits),
  disable: reportTo(disableUnits),
  mask: reportTo(maskUnits),
  unmask: reportTo(unmaskUnits),
};

const systemctl: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  const known = opts.filter((o) => o !== '--no-pager' && o !== '-q' && o !== '--quiet');
  if (known.length) return badOption('systemctl', known[0], out);
  const [verb, ...units] = operands;
  const config = ctx.currentConfig?.() ?? '';
  if (verb === 'daemon-reload') {
    ctx.journal?.record({ action: 'daemon-reload', config });
    return out.result(0);
  }
  const state = UNIT_FILE_VERBS[verb as keyof typeof UNIT_FILE_VERBS];
  if (state) {
    if (!units.length) {
      out.stderr('Too few arguments.\n');
      return out.result(1);
    }
    return state(units.map(unitName), ctx.fs, out);
  }
  if (verb !== 'reload' && verb !== 'restart') {
    out.stderr(verb === undefined ? 'Too few arguments.\n' : `Unknown command verb '${verb}'.\n`);
    return out.result(1);
  }
  if (!units.length) {
    out.stderr('Too few arguments.\n');
    return out.result(1);
  }
  for (const arg of units) {
    const name = unitName(arg);
    const unit = await hostUnit(name, ctx.fs);
    if (!unit) {
      out.stderr(`Failed to ${verb} ${name}: Unit ${name} not found.\n`);
      return out.result(5);
    }
    if (verb === 'reload' && !unit.reload) {
      out.stderr(`Failed to reload ${name}: Job type reload is not applicable for unit ${name}.\n`);
      return out.result(1);
    }
    ctx.journal?.record({ action: verb, unit: name, config });
  }
  return out.result(0);
};

/** Commands of the host's root (`chroot /rootfs <cmd>`): only systemctl is simulated there. */
const HOST_COMMANDS: Record<string, Command> = { systemctl };

const chroot: Command = async (args, ctx, out) => {
  const { opts, operands } = splitArgs(args);
  if (opts.length) return badOption('chroot', opts[0], out);
  const [root, cmd, ...rest] = operands;
  if (root === undefined) return missingOperand('chroot', out);
  if (podToNodePath(root) !== '/') {
    out.stderr(`chroot: cannot change root directory to '${root}': No such file or directory\n`);
    return out.result(125);
  }
  const name = cmd ?? '/bin/sh';
  const host = Object.prototype.hasOwnProperty.call(HOST_COMMANDS, name.split('/').pop()!)
    ? HOST_COMMANDS[name.split('/').pop()!]
    : undefined;
  if (!host) {
    out.stderr(`chroot: failed to run command '${name}': No such file or directory\n`);
    return out.result(127);
  }
  return host(rest, ctx, out);
};

/** `systemctl` in the container itself: no systemd runs there (the host's is reached through chroot). */
const containerSystemctl: Command = async (_args, _ctx, out) => {
  out.stderr(
    `System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n`,
  );
  return out.result(1);
};

const COMMANDS: Record<string, Command> = {
  cat,
  stat,
  test,
  touch,
  chmod,
  mv,
  rm,
  tee,
  sha256sum,
  base64,
  readlink,
  ls,
  mkdir,
  echo,
  chroot,
  systemctl: containerSystemctl,
  true: async (_a, _c, out) => out.result(0),
  false: async (_a, _c, out) => out.result(1),
};

/** Runs one command (argv) against a node filesystem. Never throws. */
export async function runCommand(argv: string[], ctx: CommandContext): Promise<ExecResult> {
  const out = new Out();
  if (!Array.isArray(argv) || argv.length === 0 || typeof argv[0] !== 'string') {
    out.stderr('exec: no command given\n');
    return out.result(127);
  }
  const name = argv[0].split('/').pop() ?? argv[0];
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    out.stderr(`${argv[0]}: command not found\n`);
    return out.result(127);
  }
  try {
    return await cmd(argv.slice(1).map(String), ctx, out);
  } catch (err) {
    out.stderr(`${name}: ${errText(err)}\n`);
    return out.result(1);
  }
}

export interface ExecTarget {
  nodeName: string;
  fs: NodeFS;
  journal?: NodeJournal;
  currentConfig?: () => string;
}

/** The exec hook for machine-config-daemon pods: `resolve` maps a pod to its node's filesystem. */
export function createExecHandler(resolve: (namespace: string, pod: string) => ExecTarget | undefined): ExecHandler {
  return async (req: ExecRequest): Promise<ExecResult> => {
    const enc = (s: string) => new Uint8Array(Buffer.from(s));
    let target: ExecTarget | undefined;
    try {
      target = resolve(req.namespace, req.pod);
    } catch (err) {
      return { stdout: new Uint8Array(0), stderr: enc(`exec: ${errText(err)}\n`), exitCode: 1 };
    }
    const name = req.command?.[0] ?? '';
    if (!target || req.container !== MCD_CONTAINER) {
      // kube-rbac-proxy and other containers ship no coreutils in the simulation.
      return { stdout: new Uint8Array(0), stderr: enc(`${name}: command not found\n`), exitCode: 127 };
    }
    return runCommand(req.command, {
      fs: target.fs,
      stdin: req.stdin,
      journal: target.journal,
      currentConfig: target.currentConfig,
    });
  };
}
