"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// dbg.tmp.ts
var import_node_crypto = require("node:crypto");

// test/support/gcs-server.ts
var import_node_fs = require("node:fs");
var os = __toESM(require("node:os"));
var path = __toESM(require("node:path"));
var import_storage = require("@google-cloud/storage");

// test/support/server-process.ts
var import_node_child_process = require("node:child_process");
async function startServerProcess(nodeArgs, script, args, env = process.env) {
  const child = (0, import_node_child_process.spawn)(process.execPath, [...nodeArgs, script, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
  try {
    const port = await readPort(child);
    return { port, stop: () => endProcess(child) };
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
}
function readPort(child) {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`test server did not start in 15 s: ${err}`)), 15e3);
    child.stderr.on("data", (d) => {
      err += d.toString();
    });
    child.stdout.on("data", (d) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line !== void 0) {
        clearTimeout(timer);
        resolve(JSON.parse(line).port);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`test server exited (${code}): ${err.trim()}`));
    });
  });
}
async function endProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", () => resolve()));
  child.stdin.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), 3e3);
  await exited;
  clearTimeout(timer);
}

// test/support/gcs-server.ts
var MAIN = path.join("/work/wt/b15-source/test/support", "gcs-server-main.js");
async function startGcsServer() {
  const tmp = await import_node_fs.promises.mkdtemp(path.join(os.tmpdir(), "fb-gcs-"));
  let proc;
  try {
    proc = await startServerProcess([], MAIN, [], { ...process.env, TMPDIR: tmp });
  } catch (err) {
    await import_node_fs.promises.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${proc.port}`;
  return {
    endpoint,
    port: proc.port,
    storage: new import_storage.Storage({ apiEndpoint: endpoint, projectId: "demo-featherboard" }),
    async stop() {
      await proc.stop();
      await import_node_fs.promises.rm(tmp, { recursive: true, force: true });
    }
  };
}
async function saveGcs(storage, bucket, key, body) {
  await storage.bucket(bucket).file(key).save(Buffer.from(body), { resumable: false, validation: false });
}

// test/support/cutting-proxy.ts
var net = __toESM(require("node:net"));
var CuttingProxy = class {
  constructor(targetPort) {
    this.targetPort = targetPort;
  }
  targetPort;
  /** Connections accepted so far. */
  connections = 0;
  server;
  open = /* @__PURE__ */ new Set();
  down = false;
  cut;
  received = /* @__PURE__ */ new WeakMap();
  port = 0;
  async start() {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = server.address().port;
    return `http://127.0.0.1:${this.port}`;
  }
  /** The next `times` connections that carry more than `afterBytes` back from now on are cut there. */
  cutAfter(afterBytes, times) {
    this.cut = { afterBytes, times };
    for (const s of this.open) this.received.set(s, 0);
  }
  /** Drop every open connection and refuse new ones, until restore(). */
  goDown() {
    this.down = true;
    for (const s of this.open) s.destroy();
  }
  restore() {
    this.down = false;
    this.cut = void 0;
  }
  async stop() {
    for (const s of this.open) s.destroy();
    await new Promise((resolve) => this.server ? this.server.close(() => resolve()) : resolve());
  }
  accept(client) {
    this.connections++;
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, "127.0.0.1");
    this.open.add(client);
    this.received.set(client, 0);
    const close = () => {
      this.open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.on("data", (d) => upstream.write(d));
    upstream.on("data", (d) => {
      const cut = this.cut;
      const before = this.received.get(client) ?? 0;
      if (cut !== void 0 && cut.times > 0 && before + d.length > cut.afterBytes) {
        cut.times--;
        client.write(d.subarray(0, Math.max(0, cut.afterBytes - before)), () => close());
        return;
      }
      this.received.set(client, before + d.length);
      client.write(d);
    });
  }
};

// src/source/retry.ts
var TRANSIENT_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
  "ECONNCLOSED"
]);
function isNetworkError(err) {
  if (typeof err !== "object" || err === null) return false;
  const e = err;
  if (typeof e.code === "string" && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === "TimeoutError" || e.name === "RequestTimeout") return true;
  if (typeof e.message === "string" && NETWORK_TEXT.test(e.message)) return true;
  return e.cause !== void 0 && e.cause !== err && isNetworkError(e.cause);
}
var NETWORK_TEXT = new RegExp(
  `^(aborted|socket hang up|premature close)$|\\b(${[...TRANSIENT_CODES, "TimeoutError"].join("|")})\\b|socket hang up`,
  "i"
);
function networkErrorText(err) {
  const e = err;
  if (typeof e.code === "string" && TRANSIENT_CODES.has(e.code)) return e.code;
  if (e.cause !== void 0 && e.cause !== err && isNetworkError(e.cause)) return networkErrorText(e.cause);
  const text = typeof e.message === "string" ? e.message.split("\n")[0] ?? "" : String(err);
  const named = /\b(E[A-Z]+|ERR_[A-Z_]+|UND_ERR_[A-Z_]+)\b/.exec(text);
  if (named !== null && TRANSIENT_CODES.has(named[1])) return named[1];
  return /socket hang up/i.test(text) ? "socket hang up" : text;
}

// src/source/source-error.ts
var SourceError = class extends Error {
  constructor(code, location, reason, options) {
    super(`${location}: ${reason}`, options);
    this.code = code;
    this.location = location;
    this.reason = reason;
  }
  code;
  location;
  reason;
  name = "SourceError";
};
function firstLine(err) {
  const message = err?.message;
  const text = typeof message === "string" ? message : String(err);
  return (text.split("\n")[0] ?? "").trim();
}

// src/source/gcs-errors.ts
var CREDENTIALS_HELP = "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file";
function gcsErrorToSourceError(err, ctx) {
  const e = typeof err === "object" && err !== null ? err : {};
  const status = typeof e.code === "number" ? e.code : void 0;
  const reason = e.errors?.[0]?.reason ?? "";
  const text = firstLine(err);
  const bucketUrl = `gs://${ctx.bucket}`;
  const where = ctx.key === "" ? bucketUrl : `${bucketUrl}/${ctx.key}${ctx.op === "list" ? "/" : ""}`;
  const make = (code, location, why) => new SourceError(code, location, why, { cause: err });
  if (/could not load the default credentials|unable to detect a project id/i.test(text))
    return make("NO_CREDENTIALS", bucketUrl, `no Google credentials found; ${CREDENTIALS_HELP}`);
  if (status === 401 || /invalid_grant|invalid_client|invalid_rapt/i.test(text))
    return make("BAD_CREDENTIALS", bucketUrl, `the credentials were refused (${text}); ${CREDENTIALS_HELP}`);
  if (status === 403)
    return make(
      "ACCESS_DENIED",
      where,
      `access denied (${reason || "HTTP 403"}); the account in use needs ` + (ctx.op === "list" ? "storage.objects.list on the bucket" : "storage.objects.get on the object")
    );
  if (status === 404 && (ctx.op === "list" || /bucket/i.test(text)))
    return make("NO_SUCH_BUCKET", bucketUrl, "no such bucket; check its name (and the project it is in)");
  if (status === 404) return make("NOT_FOUND", where, "the object is gone (deleted or renamed since it was listed)");
  if (status === 412 || status === 416)
    return make("CHANGED", where, "the object was rewritten while it was read; it is read again");
  if (isNetworkError(err))
    return make(
      "NETWORK",
      where,
      `cannot reach Cloud Storage (${networkErrorText(err)}) after retries; check the network (and STORAGE_EMULATOR_HOST)`
    );
  if (status !== void 0 && (status === 429 || status >= 500))
    return make("UNAVAILABLE", where, `the store kept failing (HTTP ${status}) after retries; try again later`);
  return make("FAILED", where, `${status !== void 0 ? `HTTP ${status}: ` : ""}${text}`);
}

// src/source/gcs-backend.ts
var PAGE_SIZE = 1e3;
var GCS_RETRY = {
  autoRetry: true,
  maxRetries: 3,
  retryDelayMultiplier: 2,
  maxRetryDelay: 8,
  totalTimeout: 120
};
var GcsBackend = class {
  constructor(bucket, storageOptions = {}) {
    this.bucket = bucket;
    this.storageOptions = storageOptions;
  }
  bucket;
  storageOptions;
  scheme = "gs";
  handle;
  async listPage(keyPrefix, token) {
    const bucket = await this.connect();
    const [files, nextQuery] = await bucket.getFiles({
      prefix: keyPrefix,
      autoPaginate: false,
      maxResults: PAGE_SIZE,
      ...token !== void 0 ? { pageToken: token } : {}
    });
    const next = nextQuery?.pageToken;
    return {
      objects: files.map((f) => ({ key: f.name, stat: statOf(f.metadata) })),
      next: next === void 0 || next === "" ? void 0 : next
    };
  }
  async head(key) {
    const bucket = await this.connect();
    const [metadata] = await bucket.file(key).getMetadata();
    return statOf(metadata);
  }
  async getRange(key, start, end) {
    const bucket = await this.connect();
    const stream = bucket.file(key).createReadStream({ start, end: end - 1, validation: false, decompress: false });
    let generation = "";
    stream.on("response", (res) => {
      generation = String(res.headers?.["x-goog-generation"] ?? "");
    });
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    async function* body() {
      try {
        if (first.done === true) return;
        yield first.value;
        for (; ; ) {
          const r = await it.next();
          if (r.done === true) return;
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    }
    return { version: generation, body: body(), abort: () => stream.destroy() };
  }
  toSourceError(err, key, op) {
    return gcsErrorToSourceError(err, { bucket: this.bucket, key, op });
  }
  connect() {
    this.handle ??= import("@google-cloud/storage").then(
      ({ Storage: Storage2 }) => new Storage2({ retryOptions: GCS_RETRY, ...this.storageOptions }).bucket(this.bucket)
    );
    return this.handle;
  }
};
function statOf(md) {
  const updated = md.updated === void 0 ? Number.NaN : Date.parse(md.updated);
  return {
    size: Number(md.size ?? 0),
    mtimeMs: Number.isFinite(updated) ? updated : 0,
    version: String(md.generation ?? "")
  };
}

// dbg.tmp.ts
(async () => {
  const server = await startGcsServer();
  const data = (0, import_node_crypto.randomBytes)(2 * 1024 * 1024);
  await saveGcs(server.storage, "bkt", "net/big.bin", data);
  const proxy = new CuttingProxy(server.port);
  await proxy.start();
  const b = new GcsBackend("bkt", { apiEndpoint: `http://127.0.0.1:${proxy.port}`, projectId: "x", retryOptions: { autoRetry: true, maxRetries: 1, maxRetryDelay: 0.05, totalTimeout: 10 } });
  proxy.cutAfter(15e4, 1);
  const r = await b.getRange("net/big.bin", 0, 1024 * 1024);
  let n = 0;
  const t = setTimeout(() => {
    console.log("STUCK at", n);
    process.exit(1);
  }, 5e3);
  try {
    for await (const c of r.body) n += c.length;
    console.log("ended", n);
  } catch (e) {
    console.log("error", n, e.message, e.code);
  }
  clearTimeout(t);
  process.env.METADATA_SERVER_DETECTION = "none";
  process.env.HOME = "/tmp/nonexist-home";
  const b2 = new GcsBackend("bkt", { apiEndpoint: server.endpoint, useAuthWithCustomEndpoint: true });
  try {
    const p = await b2.listPage("", void 0);
    console.log("listed", p.objects.length);
  } catch (e) {
    console.log("nocreds error", e.message);
  }
  await proxy.stop();
  await server.stop();
})();
