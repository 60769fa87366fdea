/**
 * Go: driver names given by a package constant (go-mssqldb's `azuread.DriverName`), and
 * secret-logged on the result of a DSN getter (`cfg.DSN()`, `ConnString()`, `databaseURL()`)
 * while redacting getters, parsers and derived values stay quiet.
 */
import * as assert from 'node:assert/strict';
import { extractGo, initGo } from '../../server/src/engine/extract/go';

describe('Go driver-name constants and DSN getters', () => {
  before(async () => {
    await initGo();
  });

  it('sql.Open(azuread.DriverName, …) is the azuresql driver (old and new import paths)', () => {
    for (const path of ['github.com/microsoft/go-mssqldb/azuread', 'github.com/denisenkom/go-mssqldb/azuread']) {
      const src = `package db
import ("database/sql"; az "${path}")
func Open() (*sql.DB, error) { return sql.Open(az.DriverName, "sqlserver://shop.database.windows.net?database=shop&fedauth=ActiveDirectoryDefault") }
`;
      const ex = extractGo(src);
      assert.deepEqual(ex.sites.map((s) => s.driver), ['go-mssqldb-azuresql'], path);
      assert.ok(ex.sites[0].dsn?.s.text.startsWith('sqlserver://shop.database.windows.net'));
    }
    // Another package's DriverName is not a name this file knows.
    const other = `package db
import ("database/sql"; "example.com/x/drivers")
func Open() (*sql.DB, error) { return sql.Open(drivers.DriverName, "sqlserver://shop.database.windows.net") }
`;
    assert.deepEqual(extractGo(other).sites, []);
  });

  it('secret-logged: a DSN getter\'s result, not a redacting getter, a parser or a derived value', () => {
    const src = `package db
import ("fmt"; "log"; "github.com/go-sql-driver/mysql")
type Cfg struct{ Host string }
func (c Cfg) DSN() string { return "app:pw@tcp(" + c.Host + ")/app" }
func (c Cfg) RedactedDSN() string { return "app:***@tcp(" + c.Host + ")/app" }
func (c Cfg) GetConnectionString() string { return c.DSN() }
func buildDSN(c Cfg) string { return c.DSN() }
func Log(c Cfg) {
	log.Printf("dsn=%s", c.DSN())
	log.Println(c.GetConnectionString())
	log.Print(fmt.Sprintf("%s", buildDSN(c)))
	log.Printf("dsn=%s", c.RedactedDSN())
	log.Printf("n=%d", len(c.DSN()))
	cfg, _ := mysql.ParseDSN(c.DSN())
	log.Printf("user=%s", cfg.User)
	log.Printf("parsed=%v", mysql.ParseDSN)
}
`;
    const logged = extractGo(src).observations.flatMap((o) => (o.kind === 'secret-logged' ? [o] : []));
    assert.deepEqual(logged.map((o) => [src.slice(o.range.start, o.range.end), o.what]), [
      ['c.DSN()', 'connection string'],
      ['c.GetConnectionString()', 'connection string'],
      ['buildDSN(c)', 'connection string'],
    ]);
  });
});
