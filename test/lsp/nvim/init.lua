-- Neovim (0.7 API) as a second, independent LSP client for test/lsp/neovim.test.ts: starts
-- `connguard-language-server --stdio` with vim.lsp.start_client, attaches it to the file given on
-- the command line, waits for pushed diagnostics (Neovim 0.7 has no pull diagnostics), asks for
-- a hover and the code actions at the first finding, writes everything as JSON to
-- $CONNGUARD_OUT, and quits. A timeout writes {"error": "..."} instead.
local out = assert(os.getenv('CONNGUARD_OUT'), 'CONNGUARD_OUT not set')
local server = assert(os.getenv('CONNGUARD_SERVER'), 'CONNGUARD_SERVER not set')
local root = os.getenv('CONNGUARD_ROOT') or vim.fn.getcwd()
local timeout_ms = tonumber(os.getenv('CONNGUARD_TIMEOUT_MS') or '20000')

local done = false
local function finish(result)
  if done then return end
  done = true
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.schedule(function() vim.cmd('qall!') end)
end

vim.defer_fn(function() finish({ error = 'timed out waiting for diagnostics from connguard-language-server' }) end, timeout_ms)

local function after_diagnostics(client, bufnr, diagnostics)
  local first = diagnostics[1]
  local uri = vim.uri_from_bufnr(bufnr)
  local hover_pos = first.range.start
  client.request('textDocument/hover', { textDocument = { uri = uri }, position = hover_pos }, function(_, hover)
    client.request('textDocument/codeAction', {
      textDocument = { uri = uri },
      range = first.range,
      context = { diagnostics = diagnostics },
    }, function(_, actions)
      local titles = {}
      for _, a in ipairs(actions or {}) do table.insert(titles, a.title) end
      finish({
        server = client.server_capabilities and client.server_capabilities.hoverProvider and 'ok' or 'no-hover',
        diagnostics = diagnostics,
        hover = hover and hover.contents and hover.contents.value or vim.NIL,
        actions = titles,
      })
    end, bufnr)
  end, bufnr)
end

local function start()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'connguard',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    settings = { connguard = {} },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
        if result and result.diagnostics and #result.diagnostics > 0 then
          after_diagnostics(vim.lsp.get_client_by_id(ctx.client_id), bufnr, result.diagnostics)
        end
      end,
    },
    on_exit = function(code, signal)
      if not done then finish({ error = 'server exited: code ' .. tostring(code) .. ', signal ' .. tostring(signal) }) end
    end,
  })
  if not client_id then
    finish({ error = 'vim.lsp.start_client failed' })
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
end

vim.api.nvim_create_autocmd('VimEnter', { callback = start, once = true })
