/** `connguard rules`: the rule catalogue as a table or as JSON. */
import { docsUrl, RULES } from '../../../shared/src/rules';

export function formatRules(format: 'stylish' | 'json'): string {
  if (format === 'json') {
    const rows = RULES.map((r) => ({
      id: r.id,
      check: r.check ?? null,
      defaultSeverity: r.defaultSeverity,
      title: r.title,
      description: r.description,
      cwe: r.cwe ?? null,
      docsUrl: docsUrl(r.id),
    }));
    return JSON.stringify(rows, null, 2) + '\n';
  }
  const header = ['ID', 'CHECK', 'SEVERITY', 'TITLE'];
  const rows = RULES.map((r) => [r.id, r.check ?? '-', r.defaultSeverity, r.title]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line), ''].join('\n');
}
