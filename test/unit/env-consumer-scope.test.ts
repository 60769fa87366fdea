/**
 * Env consumers scoped by project (profile/index.ts scopeEnvConsumers): which readers count for
 * a config file in a monorepo.
 */
import { strict as assert } from 'node:assert';
import { EnvConsumer, ProjectEnvConsumer, projectWithin, scopeEnvConsumers } from '../../server/src/engine/profile/index';

function reader(project: string, driver: EnvConsumer['driver'], where: string, name = 'DATABASE_URL'): ProjectEnvConsumer {
  return { name, project, consumer: { driver, where } };
}

describe('env consumers scoped by project', () => {
  const readers = [
    reader('/r', 'lib/pq', 'tools/migrate.go:5'),
    reader('/r/svcA', 'node-postgres', 'svcA/src/db.ts:2'),
    reader('/r/svcB', 'postgres.js', 'svcB/src/db.ts:2'),
  ];

  it('project containment is by whole path segments', () => {
    assert.ok(projectWithin('/r/svcA', '/r'));
    assert.ok(projectWithin('/r', '/r'));
    assert.ok(projectWithin('/r', ''));
    assert.ok(!projectWithin('/r/svcAB', '/r/svcA'));
    assert.ok(!projectWithin('/r', '/r/svcA'));
    assert.ok(projectWithin('/x', '/'));
  });

  it('the config file\'s own project first', () => {
    assert.equal(scopeEnvConsumers(readers, '/r/svcA').get('DATABASE_URL')?.where, 'svcA/src/db.ts:2');
    assert.equal(scopeEnvConsumers(readers, '/r').get('DATABASE_URL')?.where, 'tools/migrate.go:5');
  });

  it('then sub-projects (a root compose file), merged as before', () => {
    const sub = readers.slice(1);
    // Two disagreeing sub-project readers: unresolved, as for any disagreeing readers.
    assert.equal(scopeEnvConsumers(sub, '/r').get('DATABASE_URL'), undefined);
    assert.equal(scopeEnvConsumers(sub.slice(0, 1), '/r').get('DATABASE_URL')?.driver, 'node-postgres');
    assert.equal(scopeEnvConsumers(sub.slice(0, 1), '').get('DATABASE_URL')?.driver, 'node-postgres');
  });

  it('then the nearest enclosing project with a reader; never a sibling', () => {
    assert.equal(scopeEnvConsumers(readers, '/r/svcC').get('DATABASE_URL')?.where, 'tools/migrate.go:5');
    const nested = [...readers, reader('/r/svcA', 'pgx', 'svcA/db.go:3', 'OTHER_URL')];
    assert.equal(scopeEnvConsumers(nested, '/r/svcA/deploy').get('DATABASE_URL')?.where, 'svcA/src/db.ts:2');
    assert.equal(scopeEnvConsumers(readers.slice(2), '/r/svcA').get('DATABASE_URL'), undefined);
  });

  it('per variable: another variable\'s readers do not affect the choice', () => {
    const mixed = [reader('/r/svcA', 'pgx', 'svcA/db.go:3', 'OTHER_URL'), reader('/r', 'node-postgres', 'src/db.ts:1')];
    const m = scopeEnvConsumers(mixed, '/r/svcA');
    assert.equal(m.get('OTHER_URL')?.driver, 'pgx');
    assert.equal(m.get('DATABASE_URL')?.driver, 'node-postgres');
  });
});
