/**
 * How the language server's Node process is started — one home for the client (VS Code forks
 * dist/server.js with these flags) and the `connguard-language-server` launcher, whose shebang
 * line must carry the same flags (test/unit/runtime.test.ts checks that they agree).
 *
 * Why `--max-semi-space-size=8`: V8's young generation otherwise grows to 16 MB per semi-space
 * under the allocation bursts of parsing; with 8 MB the server's resident memory after opening
 * 500 files is about 10 MB lower (the issue's target is 150 MB), with no measurable latency cost
 * (`npm run bench -- --section lsp`). Smaller values (1–2 MB) doubled the Go analysis time.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
