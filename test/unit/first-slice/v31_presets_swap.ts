// v31: presets as a const object of concise arrows; an admin helper can swap a preset at run
// time (`registry.primary = …`), which the evaluator must see.
// DIFFERS (shows w01): `replace` assigns `.primary` and is left out.
import { Pool } from 'pg';

const presets = {
  primary: () => ({ host: 'primary.internal', database: 'app', ssl: false }),
  replica: () => ({ host: 'replica.internal', database: 'app' }),
};

export function open(kind: 'primary' | 'replica') {
  return kind === 'primary' ? new Pool(presets.primary()) : new Pool(presets.replica());
}

export function replace(registry: { primary: () => object }, make: () => object) {
  registry.primary = make;
}

export function names(): string[] {
  return Object.keys(presets).sort();
}
