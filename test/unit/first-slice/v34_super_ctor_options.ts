// v34: a local base class whose constructor takes options, a subclass passing them with
// `super(...)`, and a static block (the lexer does not read static blocks: full parse).
import { Pool, PoolConfig } from 'pg';

class Component {
  protected readonly opts: PoolConfig;
  constructor(opts: PoolConfig) {
    this.opts = opts;
  }
  label(): string {
    return String(this.opts.host);
  }
}

class Storage extends Component {
  static registry: string[] = [];
  static {
    Storage.registry.push('storage');
  }

  readonly handle: Pool;

  constructor(host: string) {
    super({ host, database: 'files', max: 2 });
    this.handle = new Pool({ ...this.opts, ssl: false });
  }
}

function hostOf(zone: string) {
  return `${zone}.files.internal`;
}

export const storage = new Storage(hostOf('a'));
