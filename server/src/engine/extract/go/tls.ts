/**
 * crypto/tls Config facts: what a `tls.Config{…}` literal (plus field assignments on the variable
 * that holds it) says about verification, versions and key logging. Facts only — whether they are
 * safe is decided by the rules (see driver-semantics.md §4).
 */
import { Range } from '../../model';
import { TlsConfigFacts, Val } from '../values';
import { callArgs, GoNode, field, namedKids, rangeOf, unparen, walk } from './ast';
import { Def } from './file';
import { Evaluator, ObjectRef, returnStatements } from './evaluate';

/** One `Field: value` of a tls.Config, from a literal or an assignment. */
export interface TlsEntry {
  readonly key: string;
  readonly value: GoNode;
  /** The keyed element or the assignment statement. */
  readonly propRange: Range;
}

/** TLS facts plus the node that defined the config (to know which literals a connection uses). */
export interface TlsResult {
  readonly facts: TlsConfigFacts;
  readonly node: GoNode;
}

const VERSIONS: Readonly<Record<string, string>> = {
  VersionSSL30: '3.0', VersionTLS10: '1.0', VersionTLS11: '1.1', VersionTLS12: '1.2', VersionTLS13: '1.3',
};
const VERSION_NUMBERS: Readonly<Record<number, string>> = { 0x0300: '3.0', 0x0301: '1.0', 0x0302: '1.1', 0x0303: '1.2', 0x0304: '1.3' };

export class TlsReader {
  constructor(private readonly ev: Evaluator) {}

  /** Whether an object ref is a crypto/tls Config (literal or typed var declaration). */
  isTlsObject(node: GoNode): boolean {
    return (node.type === 'composite_literal' || node.type === 'var_spec') && this.ev.isType(node, 'tls', 'Config');
  }

  /**
   * Facts for an expression used where a `*tls.Config` is expected: a literal, a variable bound to
   * one, `cfg.Clone()`, or a helper function in this file that returns one.
   */
  fromExpr(expr: GoNode | undefined, depth = 0): TlsResult | undefined {
    const e = unparen(expr);
    if (!e || depth > 8) return undefined;
    if (e.type === 'call_expression') {
      const fn = field(e, 'function');
      if (fn && fn.type === 'selector_expression' && this.ev.f.text(field(fn, 'field') ?? fn) === 'Clone') return this.fromExpr(field(fn, 'operand'), depth + 1);
    }
    const ref = this.ev.objectOf(e);
    if (!ref) return undefined;
    if (this.isTlsObject(ref.node)) return { facts: this.fromObject(ref), node: ref.node };
    if (ref.node.type === 'call_expression') {
      const fn = this.ev.functionOf(field(ref.node, 'function'));
      if (fn && fn.type === 'function_declaration') {
        for (const ret of returnStatements(fn)) {
          const first = namedKids(namedKids(ret)[0])[0] ?? namedKids(ret)[0];
          const r = first && first.type !== 'nil' ? this.fromExpr(first, depth + 1) : undefined;
          if (r) return r;
        }
      }
    }
    return undefined;
  }

  /** Facts for a literal / typed declaration, including field assignments on its variable. */
  fromObject(ref: ObjectRef): TlsConfigFacts {
    const entries: TlsEntry[] = [];
    if (ref.node.type === 'composite_literal') {
      for (const p of keyedOf(this.ev, ref.node)) entries.push(p);
    }
    if (ref.def) entries.push(...this.assignEntries(ref.def, []));
    return this.fromEntries(entries, rangeOf(ref.node));
  }

  /** Field assignments `v.<prefix…>.Field = x` on a variable, as entries. */
  assignEntries(def: Def, prefix: string[]): TlsEntry[] {
    const out: TlsEntry[] = [];
    for (const a of this.ev.fieldAssigns(def)) {
      if (a.path.length !== prefix.length + 1) continue;
      if (prefix.some((p, i) => a.path[i] !== p)) continue;
      out.push({ key: a.path[a.path.length - 1], value: a.value, propRange: rangeOf(a.stmt) });
    }
    return out;
  }

  fromEntries(entries: readonly TlsEntry[], range: Range, definedAt?: Range): TlsConfigFacts {
    const facts: { -readonly [K in keyof TlsConfigFacts]: TlsConfigFacts[K] } = { range };
    if (definedAt) facts.definedAt = definedAt;
    for (const e of entries) {
      const vr = rangeOf(e.value);
      switch (e.key) {
        case 'InsecureSkipVerify': {
          const v = this.ev.eval(e.value);
          facts.insecureSkipVerify = { value: v.k === 'bool' ? v.b : 'unknown', range: vr, propRange: e.propRange };
          break;
        }
        case 'VerifyPeerCertificate':
        case 'VerifyConnection': {
          if (unparen(e.value)?.type === 'nil') break;
          const fn = this.ev.functionOf(e.value);
          facts.verifyCallback = { name: e.key, range: e.propRange, rejects: fn ? callbackRejects(this.ev, fn) : 'unknown' };
          break;
        }
        case 'MinVersion':
          facts.minVersion = { version: this.version(e.value), range: vr };
          break;
        case 'MaxVersion':
          facts.maxVersion = { version: this.version(e.value), range: vr };
          break;
        case 'RootCAs':
          if (unparen(e.value)?.type !== 'nil') facts.rootCAs = { range: e.propRange };
          break;
        case 'ServerName':
          facts.serverName = { value: this.ev.eval(e.value), range: e.propRange };
          break;
        case 'KeyLogWriter':
          if (unparen(e.value)?.type !== 'nil') facts.keyLogWriter = { range: e.propRange };
          break;
      }
    }
    // InsecureSkipVerify hands trust to the callback: when it verifies against roots it was given
    // (x509.VerifyOptions{Roots: pool}) or compares a pin, the system trust store plays no part,
    // so the CA is configured — recorded as rootCAs at the Roots / pin (no system roots needed).
    if (!facts.rootCAs && facts.insecureSkipVerify?.value === true && facts.verifyCallback?.rejects === true) {
      const cb = entries.find((e) => e.key === facts.verifyCallback!.name);
      const fn = cb ? this.ev.functionOf(cb.value) : undefined;
      const anchor = fn ? callbackTrustAnchor(this.ev, fn) : undefined;
      if (anchor) facts.rootCAs = { range: anchor };
    }
    return facts;
  }

  private version(n: GoNode): string {
    const v: Val = this.ev.eval(n);
    if (v.k === 'ident') {
      const name = v.name.split('.').pop() ?? '';
      return VERSIONS[name] ?? 'unknown';
    }
    if (v.k === 'num') return VERSION_NUMBERS[v.n] ?? 'unknown';
    return 'unknown';
  }
}

function keyedOf(ev: Evaluator, lit: GoNode): TlsEntry[] {
  const out: TlsEntry[] = [];
  const body = field(lit, 'body');
  for (const e of namedKids(body)) {
    if (e.type !== 'keyed_element') continue;
    const kids = namedKids(e);
    const key = namedKids(kids[0])[0] ?? kids[0];
    const value = namedKids(kids[1])[0] ?? kids[1];
    if (key && value) out.push({ key: ev.f.text(key), value, propRange: rangeOf(e) });
  }
  return out;
}

/** Calls that compare a certificate (or its fingerprint) with a pinned value. */
const PIN_CALL = /^(?:bytes\.Equal|subtle\.ConstantTimeCompare|hmac\.Equal|slices\.Equal|reflect\.DeepEqual)$|\.Equal$/;

/**
 * What a verification callback trusts, when it is not the system store: the `Roots` of the
 * x509.VerifyOptions its `Verify` calls pass (every one must set Roots: a Verify without them
 * uses the system roots), or — when it calls no `Verify` — the pin it compares the certificate
 * with. Undefined when it trusts the system roots or this cannot be told.
 */
export function callbackTrustAnchor(ev: Evaluator, fn: GoNode): Range | undefined {
  const body = field(fn, 'body');
  if (!body) return undefined;
  const verifies: GoNode[] = [];
  let pin: Range | undefined;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type !== 'call_expression') return undefined;
    const callee = unparen(field(n, 'function'));
    if (callee?.type === 'selector_expression' && ev.f.text(field(callee, 'field') ?? callee) === 'Verify' && callArgs(n).length === 1) verifies.push(n);
    else if (PIN_CALL.test(ev.f.text(callee ?? n).replace(/\s+/g, ''))) pin ??= rangeOf(n);
    return undefined;
  });
  if (verifies.length === 0) return pin;
  let roots: Range | undefined;
  for (const call of verifies) {
    const r = verifyOptionsRoots(ev, callArgs(call)[0]);
    if (!r) return undefined;
    roots ??= r;
  }
  return roots;
}

/** The `Roots: pool` of an x509.VerifyOptions literal (or a field assignment on its variable). */
function verifyOptionsRoots(ev: Evaluator, arg: GoNode | undefined): Range | undefined {
  const ref = ev.objectOf(arg);
  if (!ref || ref.node.type !== 'composite_literal') return undefined;
  let t = field(ref.node, 'type');
  while (t && t.type === 'pointer_type') t = namedKids(t)[0];
  if (!t || !/(?:^|\.)VerifyOptions$/.test(ev.f.text(t).replace(/\s+/g, ''))) return undefined;
  const entries = [...keyedOf(ev, ref.node)];
  if (ref.def) for (const a of ev.fieldAssigns(ref.def)) if (a.path.length === 1) entries.push({ key: a.path[0], value: a.value, propRange: rangeOf(a.stmt) });
  let roots: Range | undefined;
  for (const e of entries) if (e.key === 'Roots') roots = unparen(e.value)?.type === 'nil' ? undefined : e.propRange;
  return roots;
}

/** Calls that verify a certificate: chain, host name, or a pin / fingerprint comparison. */
const VERIFYING_CALL = /(?:^|\.)(?:Verify|VerifyHostname)$|^(?:bytes\.Equal|subtle\.ConstantTimeCompare|hmac\.Equal|slices\.Equal|reflect\.DeepEqual)$|\.Equal$/;
/** Calls that check nothing about whom the certificate identifies (parsing, errors, logging). */
const NEUTRAL_CALL = /^(?:x509\.ParseCertificates?|errors\.(?:New|Is|As|Join)|fmt\.(?:Errorf|Sprintf|Sprint|Print\w*)|log\.\w+|slog\.\w+|len|cap|append|string|make|panic|os\.Exit)$/;

/**
 * Whether a verification callback can reject a connection *for a certificate that does not
 * identify the server*: it returns something other than `nil` on some path (`return err`,
 * `return fmt.Errorf(…)`) or panics/exits, AND it does something that verifies — calls a
 * verifying function (x509 `Verify`, `VerifyHostname`, `bytes.Equal` on a pin…) or compares
 * values (`fp != pinned`). A callback that only parses (`x509.ParseCertificate(raw[0])`) or
 * checks lengths rejects malformed input, not an impostor: `false`. `false` too when every
 * return is `return nil`; 'unknown' when there is no return to judge (naked returns) or when it
 * calls a function whose behaviour is not known here (a helper may verify).
 */
export function callbackRejects(ev: Evaluator, fn: GoNode): boolean | 'unknown' {
  const body = field(fn, 'body');
  if (!body) return 'unknown';
  // VerifyPeerCertificate's second parameter: the chains crypto/tls verified — always empty under
  // InsecureSkipVerify, so a callback that requires them rejects every certificate (not insecure).
  const params = namedKids(field(fn, 'parameters') ?? fn).filter((x) => x.type === 'parameter_declaration');
  const chainsParam = params[1] ? namedKids(params[1]).find((x) => x.type === 'identifier') : undefined;
  const chainsName = chainsParam ? ev.f.text(chainsParam) : undefined;
  let aborts = false;
  let verifies = false;
  let unknownCall = false;
  walk(body, (n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'call_expression') {
      const callee = ev.f.text(field(n, 'function') ?? n).replace(/\s+/g, '');
      if (callee === 'panic' || /^log\.(Fatal|Panic)/.test(callee) || callee === 'os.Exit') aborts = true;
      if (VERIFYING_CALL.test(callee)) verifies = true;
      else if (!NEUTRAL_CALL.test(callee)) unknownCall = true;
    }
    if (n.type === 'binary_expression') {
      // A comparison of values (a fingerprint with a pin) — not `err != nil`, not a length check.
      const op = ev.f.text(field(n, 'operator') ?? n).trim();
      const sides = [unparen(field(n, 'left')), unparen(field(n, 'right'))];
      const isLen = (x: GoNode | undefined): boolean => !!x && x.type === 'call_expression' && /^(?:len|cap)$/.test(ev.f.text(field(x, 'function') ?? x));
      const trivial = (x: GoNode | undefined): boolean => !x || x.type === 'nil' || x.type === 'int_literal' || isLen(x);
      if ((op === '==' || op === '!=') && !sides.some(trivial)) verifies = true;
      // len(verifiedChains) == 0 → reject: requires chains crypto/tls verified.
      if (chainsName && sides.some((x) => isLen(x) && ev.f.text(callArgs(x!)[0] ?? x!).trim() === chainsName)) verifies = true;
    }
    return undefined;
  });
  const rets = returnStatements(fn);
  let nonNil = false;
  let naked = false;
  for (const r of rets) {
    const list = namedKids(r)[0];
    const exprs = list ? (list.type === 'expression_list' ? namedKids(list) : [list]) : [];
    const last = exprs[exprs.length - 1];
    if (!last) naked = true;
    else if (unparen(last)?.type !== 'nil') nonNil = true;
  }
  if (nonNil || aborts) return verifies ? true : unknownCall ? 'unknown' : false;
  if (naked || rets.length === 0) return 'unknown';
  return false;
}
