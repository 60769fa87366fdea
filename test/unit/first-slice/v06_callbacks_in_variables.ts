// v06: callbacks stored in variables and passed around; an event handler that builds options.
import { EventEmitter } from 'node:events';
import { Pool } from 'pg';

type Handler = (name: string) => void;

const bus = new EventEmitter();
const handlers: Handler[] = [];

const onReady: Handler = (name) => {
  handlers.forEach((h) => h(name));
};

function register(h: Handler) {
  handlers.push(h);
}

const describeTarget = function (name: string) {
  return { host: `${name}.internal`, database: name, max: 5 };
};

let current: ReturnType<typeof describeTarget> | undefined;

register((name) => {
  current = describeTarget(name);
});

bus.on('ready', onReady);

export function connectNow(name: string): Pool {
  const opts = current ?? describeTarget(name);
  return new Pool({ ...opts, ssl: true });
}

export function shutdown() {
  bus.removeAllListeners();
  handlers.length = 0;
}

export function emitReady(name: string) {
  bus.emit('ready', name);
}
