// v23: sloppy script — labeled loops, `with`, `eval` and `arguments` inside bodies; the options
// helper is plain.
var Pool = require('pg').Pool;

function scan(grid) {
  var found = null;
  outer: for (var i = 0; i < grid.length; i++) {
    for (var j = 0; j < grid[i].length; j++) {
      if (grid[i][j] === 'x') {
        found = [i, j];
        break outer;
      }
    }
  }
  return found;
}

function legacy(obj) {
  with (obj) {
    return host + ':' + port;
  }
}

function dynamic(expr) {
  return eval('(' + expr + ')');
}

function settings() {
  var extra = arguments.length > 0 ? arguments[0] : {};
  return { host: 'db.internal', database: 'legacy', max: 3, extra: extra };
}

var pool = new Pool({ host: 'db.internal', database: 'legacy', ssl: false });
module.exports = { pool: pool, settings: settings };
