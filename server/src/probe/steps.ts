/**
 * The step runner of a connection test (SPEC §4) and the network steps every protocol shares
 * (DNS, TCP, reading bytes with a bound).
 *
 * Contracts:
 * - Every step is time-bounded: the runner races the step's body against its own timer and the
 *   caller's AbortSignal, so a server that accepts TCP and never answers ends in a failed step
 *   within `stepTimeoutMs`, whether or not the body cooperates. The body gets a per-step signal
 *   and should destroy its sockets when it fires; resources registered with `own()` are
 *   destroyed when the probe ends in any case.
 * - A step never throws out of the runner: an exception becomes a failed step whose explanation
 *   is the error's message with every secret the probe holds replaced by `****`.
 * - After a cancellation every further step is recorded as skipped.
 * - Steps may run concurrently (`start`): each keeps its own timer, signal and duration, and is
 *   recorded when the caller collects it, so the report's order does not depend on timing.
 */
import * as dns from 'node:dns';
import * as net from 'node:net';
import { ProbeOptions, ProbeStep, StepId, StepStatus } from './types';

export const REDACTED = '****';

/** What a step body returns. `value` is passed to the caller, never shown. */
export interface StepOutcome<T = undefined> {
  readonly status: StepStatus;
  readonly explanation: string;
  readonly facts?: Record<string, string>;
  readonly value?: T;
}

/** Thrown by a step body to fail with a prepared explanation (and facts). */
export class StepFailure extends Error {
  constructor(
    readonly explanation: string,
    readonly facts: Record<string, string> = {},
  ) {
    super(explanation);
  }
}

/** Raised inside a step when its timer or the caller's signal fires. */
export class StepAborted extends Error {
  constructor(readonly reason: 'timeout' | 'cancelled') {
    super(reason);
  }
}

/** Replaces every secret the probe holds (passwords, tokens) by `****` in any text. */
export class Redactor {
  private readonly secrets = new Set<string>();
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length > 0) this.secrets.add(secret);
  }
  redact(text: string): string {
    let t = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) if (t.includes(s)) t = t.split(s).join(REDACTED);
    return t;
  }
}

/** A step started with `StepRunner.start`: `result()` waits for it and records it (once). */
export interface PendingStep<T> {
  result(): Promise<{ readonly status: StepStatus; readonly value?: T }>;
}

export interface Destroyable {
  destroy(): void;
}

export class StepRunner {
  readonly steps: ProbeStep[] = [];
  private readonly owned = new Set<Destroyable>();
  private cancelledFlag = false;

  constructor(
    private readonly opts: ProbeOptions,
    readonly redactor: Redactor,
  ) {}

  get cancelled(): boolean {
    return this.cancelledFlag || this.opts.signal?.aborted === true;
  }

  /** A socket, client or handle to destroy when the probe ends. */
  own<T extends Destroyable>(r: T): T {
    this.owned.add(r);
    return r;
  }

  release(r: Destroyable): void {
    this.owned.delete(r);
  }

  destroyAll(): void {
    for (const r of this.owned) {
      try {
        r.destroy();
      } catch {
        // already gone
      }
    }
    this.owned.clear();
  }

  skip(id: StepId, title: string, explanation: string, verifies: readonly string[] = []): void {
    this.push(id, title, 'skipped', 0, explanation, {}, verifies);
  }

  /**
   * Runs one step. Returns the body's value when the step's status is ok or warn, undefined
   * otherwise (failed, skipped, timed out, cancelled).
   */
  run<T>(
    id: StepId,
    title: string,
    verifies: readonly string[],
    body: (signal: AbortSignal) => Promise<StepOutcome<T>>,
    timeoutMs = this.opts.stepTimeoutMs,
  ): Promise<{ readonly status: StepStatus; readonly value?: T }> {
    return this.start(id, title, verifies, body, timeoutMs).result();
  }

  /**
   * Starts a step now and records it when `result()` is first called: for steps that run
   * concurrently with others (the enforcement probe, authentication during the observing
   * handshake) but keep their place in the report. The step is bounded and cancellable exactly
   * as with `run`, and its duration is its own (start to end of its body), not the wait for
   * `result()`. A step started after a cancellation is recorded as skipped.
   */
  start<T>(
    id: StepId,
    title: string,
    verifies: readonly string[],
    body: (signal: AbortSignal) => Promise<StepOutcome<T>>,
    timeoutMs = this.opts.stepTimeoutMs,
  ): PendingStep<T> {
    if (this.cancelled) {
      this.cancelledFlag = true;
      let recorded = false;
      return {
        result: async () => {
          if (!recorded) this.skip(id, title, 'Not run: the test was cancelled.', verifies);
          recorded = true;
          return { status: 'skipped' };
        },
      };
    }
    const running = this.execute(title, body, timeoutMs, id);
    let recorded: Promise<{ readonly status: StepStatus; readonly value?: T }> | undefined;
    return {
      result: () =>
        (recorded ??= running.then(({ outcome, ms }) => {
          this.push(id, title, outcome.status, ms, outcome.explanation, outcome.facts ?? {}, verifies);
          const value = outcome.status === 'ok' || outcome.status === 'warn' ? outcome.value : undefined;
          return { status: outcome.status, value };
        })),
    };
  }

  /** Runs a step body under its timer and the caller's signal; never rejects. */
  private async execute<T>(
    title: string,
    body: (signal: AbortSignal) => Promise<StepOutcome<T>>,
    timeoutMs: number,
    id: StepId,
  ): Promise<{ outcome: StepOutcome<T>; ms: number }> {
    try {
      this.opts.onStepStart?.(id, title);
    } catch {
      // a progress display never stops a test
    }
    const started = performance.now();
    const ctl = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const onOuterAbort = (): void => ctl.abort(new StepAborted('cancelled'));
    this.opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => ctl.abort(new StepAborted('timeout')), timeoutMs);
      ctl.signal.addEventListener('abort', () => reject(ctl.signal.reason), { once: true });
    });
    bound.catch(() => undefined);
    let outcome: StepOutcome<T>;
    try {
      // The body starts synchronously: a started step has its I/O in flight when `start` returns.
      outcome = await Promise.race([body(ctl.signal), bound]);
    } catch (e) {
      outcome = this.failure(e, timeoutMs, title);
      if (!ctl.signal.aborted) ctl.abort(new StepAborted('cancelled')); // let the body clean up
    } finally {
      clearTimeout(timer);
      this.opts.signal?.removeEventListener('abort', onOuterAbort);
    }
    return { outcome, ms: Math.round(performance.now() - started) };
  }

  private failure<T>(e: unknown, timeoutMs: number, title: string): StepOutcome<T> {
    if (e instanceof StepAborted) {
      if (e.reason === 'cancelled') {
        this.cancelledFlag = true;
        return { status: 'fail', explanation: 'Cancelled by the user.' };
      }
      return {
        status: 'fail',
        explanation: `Timed out after ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 ? 1 : 0)} s: the server did not answer (${title.toLowerCase()}). A firewall that drops packets, a proxy or a server that is not speaking this protocol can cause this.`,
      };
    }
    if (e instanceof StepFailure) return { status: 'fail', explanation: e.explanation, facts: e.facts };
    const err = e as NodeJS.ErrnoException;
    const code = err?.code ? ` (${err.code})` : '';
    return { status: 'fail', explanation: `${err?.message ?? String(e)}${code}` };
  }

  private push(id: StepId, title: string, status: StepStatus, durationMs: number, explanation: string, facts: Record<string, string>, verifies: readonly string[]): void {
    const r = this.redactor;
    const safeFacts: Record<string, string> = {};
    for (const [k, v] of Object.entries(facts)) safeFacts[r.redact(k)] = r.redact(v);
    this.steps.push({ id, title, status, durationMs, explanation: r.redact(explanation), facts: safeFacts, verifies: [...verifies] });
  }
}

/* ------------------------------------------------------------------ DNS and TCP */

export interface Resolved {
  readonly addresses: readonly string[];
}

/** DNS step body: the host's addresses (an IP literal resolves to itself without a query). */
export async function resolveHost(host: string, signal: AbortSignal): Promise<StepOutcome<Resolved>> {
  if (net.isIP(host)) return { status: 'ok', explanation: `${host} is an IP address: no DNS lookup needed.`, facts: { Address: host }, value: { addresses: [host] } };
  const found = await new Promise<dns.LookupAddress[]>((resolve, reject) => {
    dns.lookup(host, { all: true }, (err, addrs) => (err ? reject(err) : resolve(addrs)));
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  }).catch((e: NodeJS.ErrnoException) => {
    if (e instanceof StepAborted) throw e;
    const why = e.code === 'ENOTFOUND' ? 'the name does not exist (check the spelling, the VPN, or a private DNS zone)' : e.code === 'EAI_AGAIN' ? 'the DNS server did not answer' : (e.message ?? String(e));
    throw new StepFailure(`Cannot resolve ${host}: ${why}.`, { Error: e.code ?? 'unknown' });
  });
  const addresses = found.map((a) => a.address);
  return { status: 'ok', explanation: `${host} resolves to ${addresses.length} address${addresses.length === 1 ? '' : 'es'}.`, facts: { Addresses: addresses.join(', ') }, value: { addresses } };
}

/** Opens a TCP connection, bounded by the step signal. The socket is registered with the runner. */
export function connectTcp(runner: StepRunner, host: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = runner.own(net.connect({ host, port }));
    socket.setNoDelay(true);
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // later errors surface through reads
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(tcpFailure(e, host, port));
    });
  });
}

function tcpFailure(e: NodeJS.ErrnoException, host: string, port: number): StepFailure {
  const why =
    e.code === 'ECONNREFUSED'
      ? 'the connection was refused: nothing listens on that port (wrong port, server down, or listen_addresses/bind-address limited to another interface)'
      : e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH'
        ? 'the network is unreachable from here (VPN, routing or a private subnet)'
        : e.code === 'ETIMEDOUT'
          ? 'the connection timed out (a firewall or security group drops the packets)'
          : e.message;
  return new StepFailure(`Cannot open a TCP connection to ${host}:${port}: ${why}.`, { Error: e.code ?? 'unknown' });
}

/** TCP step body shared by the protocols. */
export async function tcpStep(runner: StepRunner, host: string, port: number, signal: AbortSignal): Promise<StepOutcome<net.Socket>> {
  const socket = await connectTcp(runner, host, port, signal);
  return {
    status: 'ok',
    explanation: `Connected to ${host}:${port}.`,
    facts: { 'Remote address': `${socket.remoteAddress}:${socket.remotePort}` },
    value: socket,
  };
}

/**
 * Buffered reader over a socket for the hand-written protocol exchanges (SSLRequest, MySQL
 * greeting, enforcement start-ups). Reads fail with the step signal's reason when it fires and
 * with a clear error when the server closes the connection early.
 */
export class SocketReader {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended: Error | undefined;
  private readonly onData = (d: Buffer): void => {
    this.buf = Buffer.concat([this.buf, d]);
    this.wake();
  };
  private readonly onEnd = (): void => {
    this.ended ??= new Error('the server closed the connection');
    this.wake();
  };
  private readonly onError = (e: Error): void => {
    this.ended ??= e;
    this.wake();
  };

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Stops reading so that the socket can be handed to TLS; returns any bytes read ahead. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    return this.buf;
  }

  async read(n: number, signal: AbortSignal): Promise<Buffer> {
    while (this.buf.length < n) {
      if (signal.aborted) throw signal.reason;
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}
