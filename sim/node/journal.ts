// The node's record of what the daemon did to running services, like the systemd journal lines a real node keeps
// (`journalctl -u crio` shows the reload; the MCD logs "crio service reloaded successfully!"): one JSON line per
// boot, reload, restart or daemon-reload, kept in DIR/nodes/<node>/journal.jsonl beside (not inside) the node's
// rootfs, so a test or a person can read which services ran since the last boot. Nodes whose files live in memory
// keep the record in memory.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JournalEntry {
  time: string;
  /** `boot`: the node came up (a reboot); the others are post-config actions on a unit. */
  action: 'boot' | 'reload' | 'restart' | 'daemon-reload';
  /** The unit acted on (`crio.service`); absent for boot and daemon-reload. */
  unit?: string;
  /** The rendered config whose update ran the action (or that the node booted into). */
  config: string;
}

export interface NodeJournal {
  record(entry: Omit<JournalEntry, 'time'>): void;
  entries(): JournalEntry[];
}

const MEMORY_LIMIT = 200;

export class MemoryJournal implements NodeJournal {
  private list: JournalEntry[] = [];
  record(entry: Omit<JournalEntry, 'time'>) {
    this.list.push({ time: new Date().toISOString(), ...entry });
    if (this.list.length > MEMORY_LIMIT) this.list.splice(0, this.list.length - MEMORY_LIMIT);
  }
  entries() {
    return [...this.list];
  }
}

export class FileJournal implements NodeJournal {
  constructor(readonly path: string) {}
  record(entry: Omit<JournalEntry, 'time'>) {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n', { mode: 0o600 });
  }
  entries() {
    return readJournal(this.path);
  }
}

/** Every entry of a journal file ([] when there is none; damaged lines are skipped). */
export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const out: JournalEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as JournalEntry);
    } catch {
      // a line cut short by a crash
    }
  }
  return out;
}

/** The entries after the last boot: which services were reloaded or restarted since the node last rebooted. */
export function sinceLastBoot(entries: JournalEntry[]): JournalEntry[] {
  let i = entries.length;
  while (i > 0 && entries[i - 1].action !== 'boot') i--;
  return entries.slice(i);
}
