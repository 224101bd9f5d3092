import type { Pool } from '../../db/pool.js';
import type { Logger } from '../../log.js';
import type { MediaStore } from '../../storage/store.js';
import { audit } from '../audit.js';
import { discoverGroups, upsertGroups } from '../discovery.js';
import { watchFlags } from '../flag-watcher.js';
import { claimFlag, FLAGS, type FlagKey } from '../flags.js';
import { saveLidPairs } from '../identities/lid-map.js';
import { ingestMessages } from '../ingest/ingest.js';
import { type DbAuthState, loadAuthState } from './auth-state.js';
import { DISCONNECT, type WaConnectionUpdate, type WaConnector, type WaSocket } from './port.js';
import { clearAuth, writeStatus } from './session-row.js';

export interface MonitorOptions {
  pool: Pool;
  store: MediaStore;
  connector: WaConnector;
  logger: Logger;
  mediaMaxBytes: number;
  /** First reconnect delay; doubles per failed attempt up to `reconnectMaxMs`. Default 1000. */
  reconnectBaseMs?: number;
  /** Default 60000. */
  reconnectMaxMs?: number;
  /** How long a QR is shown as valid (WhatsApp rotates them about every 20 s). Default 20000. */
  qrTtlMs?: number;
  /** Flag polling while LISTEN works. Default 5000. */
  flagPollMs?: number;
}

const statusCode = (update: WaConnectionUpdate) => (update.lastDisconnect?.error as { output?: { statusCode?: number } } | undefined)?.output?.statusCode;

/**
 * The WhatsApp Web session of the group monitor: connects when stored creds exist or the UI asks
 * for a QR, publishes QR and status to wa_sessions with audit rows, reconnects with capped
 * exponential backoff unless logged out, acts on runtime flags, discovers groups and archives
 * messages of monitored groups.
 */
export class MonitorSession {
  private socket: WaSocket | null = null;
  private auth: DbAuthState | null = null;
  private connected = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private work: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: MonitorOptions) {}

  /** Runs until the signal aborts; then closes the socket (keeping the login) and drains ingest. */
  async run(signal: AbortSignal): Promise<void> {
    this.auth = await loadAuthState(this.options.pool, this.options.connector, this.options.logger);
    if (this.auth.registered) await this.connect();
    const { pool, logger, flagPollMs } = this.options;
    const watcher = watchFlags({ pool, logger, onFlags: (keys) => this.onFlags(keys), pollMs: flagPollMs });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await watcher.stop();
    this.closeSocket();
    await this.work;
    await this.auth?.flush();
  }

  /** Runs tasks one after another (ingest batches, discovery), so they never interleave. */
  private serially(task: () => Promise<unknown>): Promise<unknown> {
    this.work = this.work.then(task).catch(async (error: unknown) => {
      this.options.logger.error({ err: error }, 'group monitor task failed');
      await audit(this.options.pool, 'error', { where: 'monitor', message: (error as Error).message }).catch(() => {});
    });
    return this.work;
  }

  private async onFlags(keys: FlagKey[]): Promise<void> {
    const { pool } = this.options;
    for (const key of keys) {
      if (key === FLAGS.disconnect) {
        if (!(await claimFlag(pool, key))) continue;
        const socket = this.socket;
        this.closeSocket();
        await socket?.logout().catch(() => {});
        await this.auth?.flush();
        await clearAuth(pool);
        this.auth = null;
        await audit(pool, 'disconnect', { reason: 'requested' });
      } else if (key === FLAGS.refreshQr) {
        if (!(await claimFlag(pool, key))) continue;
        if (this.connected) continue;
        this.closeSocket();
        await this.connect();
      } else if (key === FLAGS.fetchGroups && this.connected && this.socket) {
        // Taken only while connected: a request made while offline waits for the connection.
        if (!(await claimFlag(pool, key))) continue;
        const socket = this.socket;
        await this.serially(() => discoverGroups(pool, () => socket.groupFetchAllParticipating()));
      }
    }
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.connected = false;
    clearTimeout(this.reconnectTimer);
    socket?.end(undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const { pool, connector } = this.options;
    let socket: WaSocket;
    try {
      // The in-memory state is the newest (its writes may still be queued); load only when there is none.
      this.auth ??= await loadAuthState(pool, connector, this.options.logger);
      await writeStatus(pool, 'connecting');
      socket = await connector.connect(this.auth.state);
    } catch (error) {
      await audit(pool, 'error', { where: 'connect', message: (error as Error).message }).catch(() => {});
      await this.onClose({ connection: 'close', lastDisconnect: { error: error as Error } });
      return;
    }
    const auth = this.auth;
    this.socket = socket;
    const current = () => this.socket === socket;
    socket.ev.on('creds.update', () => void auth.saveCreds());
    socket.ev.on('connection.update', (update) => {
      if (current()) void this.serially(() => this.onConnection(socket, update));
    });
    socket.ev.on('messages.upsert', ({ messages }) => {
      if (!current()) return;
      void this.serially(() => ingestMessages({
        pool,
        store: this.options.store,
        mediaMaxBytes: this.options.mediaMaxBytes,
        download: (message) => connector.download(socket, message),
      }, messages));
    });
    const renamed = (groups: { id?: string; subject?: string }[]) => {
      if (current()) void this.serially(() => upsertGroups(pool, groups, { full: false }));
    };
    socket.ev.on('groups.upsert', renamed);
    socket.ev.on('groups.update', renamed);
    // Baileys learns lid ↔ phone pairs as it goes (usync, history, device lists): keep each one.
    socket.ev.on('lid-mapping.update', (mapping) => {
      if (current()) void this.serially(() => saveLidPairs(pool, [mapping], 'lid_mapping'));
    });
  }

  private async onConnection(socket: WaSocket, update: WaConnectionUpdate): Promise<void> {
    const { pool } = this.options;
    if (update.qr) {
      const expiresAt = new Date(Date.now() + (this.options.qrTtlMs ?? 20_000)).toISOString();
      await writeStatus(pool, 'connecting', { detail: { qr: update.qr, expiresAt } });
      await audit(pool, 'qr_generated', { expiresAt });
    }
    if (update.connection === 'open') {
      this.connected = true;
      this.attempt = 0;
      const number = socket.user?.id ? socket.user.id.split('@')[0]!.split(':')[0]! : null;
      await writeStatus(pool, 'connected', { detail: {}, waNumber: number, waName: socket.user?.name ?? null });
      await audit(pool, 'connect', { wa_number: number });
      await this.auth?.flush();
      // A discovery asked for while offline (or the first one the seed requests) runs now.
      setImmediate(() => void this.onFlags([FLAGS.fetchGroups]));
    }
    if (update.connection === 'close') await this.onClose(update);
  }

  private async onClose(update: WaConnectionUpdate): Promise<void> {
    const { pool } = this.options;
    const code = statusCode(update);
    const message = update.lastDisconnect?.error?.message ?? null;
    const wasRegistered = Boolean(this.auth?.state.creds.me);
    this.socket = null;
    this.connected = false;
    if (code === DISCONNECT.loggedOut) {
      await this.auth?.flush();
      await clearAuth(pool);
      this.auth = null;
      await audit(pool, 'disconnect', { reason: 'logged_out', code });
      return;
    }
    await writeStatus(pool, 'disconnected', { detail: {} });
    await audit(pool, 'disconnect', { code: code ?? null, message });
    if (this.stopped) return;
    if (!wasRegistered && code !== DISCONNECT.restartRequired) return; // QR not scanned in time: wait for the UI to ask again.
    const backoff = Math.min(this.options.reconnectMaxMs ?? 60_000, (this.options.reconnectBaseMs ?? 1000) * 2 ** this.attempt);
    const delay = code === DISCONNECT.restartRequired ? 0 : backoff;
    this.attempt++;
    await audit(pool, 'reconnect', { attempt: this.attempt, delay_ms: delay });
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }
}
