// Sloppy script: yield/await/let as identifiers, labelled statements, implicit globals.
const { Pool } = require('pg');

var yield = 1;
var await = 2;

function address() {
  var let = 'localhost';
  return let;
}

function scan(rows) {
  outer: for (var i = 0; i < rows.length; i++) {
    for (var j = 0; j < rows[i].length; j++) {
      if (rows[i][j] === yield) continue outer;
      if (rows[i][j] === await) break outer;
    }
  }
  return i;
}

function cartDb() {
  return new Pool({ host: address(), database: 'cart', ssl: false, connectionTimeoutMillis: 4000 });
}

function total(items) {
  var sum = 0;
  for (var k in items) sum += items[k];
  return sum / 100 / 1;
}

module.exports = { cartDb, scan, total };
