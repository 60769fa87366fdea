// Differs: findings (tls-disabled, connect-timeout-missing only in the full analysis) and the
// profile (options obj vs call defaults()). planFromSliceOutline keeps functions the top-level code
// calls by name (bareUses: more bare mentions outside bodies than units of that name). The unit
// of `exports.defaults = function () {…}` is named `defaults` too but its name is written after a
// dot (counted as `.defaults`), so `declared` counts 2 for 2 bare mentions (the declaration and the
// call in `new Pool(defaults())`) and the top-level call is missed: `defaults`' body is left out.
// The same holds for units named by a string key ('defaults'() {}, ['defaults']() {}).
const { Pool } = require('pg');

function defaults() {
  return { host: 'db.internal', max: 10 };
}

const pool = new Pool(defaults());

exports.defaults = function () {
  return {};
};
