// Differs: findings (tls-disabled, connect-timeout-missing only sliced) and the profile (options
// call vs obj). The file has no import/export; its one `import.meta` is in `here`, a body left out.
// TypeScript's parser makes a file with `import.meta` anywhere an external module
// (isFileProbablyExternalModule → getImportMetaIfNecessary), i.e. strict code. Scopes
// (ts/scope.ts, strictFile) then keeps `base`, declared in a block, out of `options`' scope in the
// full parse; the sliced text is a sloppy script where Annex B hoists `base` to the function and
// returnedValue sees through `base()`.
const { Pool } = require('pg');

function options() {
  if (process.env.NODE_ENV !== 'test') {
    function base() { return { host: 'db.internal', ssl: false }; }
  }
  return base();
}

exports.open = () => new Pool(options());

function here() {
  return import.meta.url;
}
