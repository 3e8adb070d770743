-- Headless Neovim as a real LSP client of agentls, using the shipped editors/nvim config.
-- Usage: AGENTLS_TEST_SPEC=spec.json nvim --headless --clean -u nvim_client.lua
-- spec.json: { rtp, out, agent_file, other_file, classify_paths = [...],
--              config = {...} (extra vim.lsp.config), hover = {line, col}, completion = {line, col},
--              edit = {line, text, code}, live = [...] (see 5b), expect_diagnostics = n }
-- Lines and columns are 0-based; columns are byte offsets (what Neovim uses).
-- Writes a JSON report to spec.out and exits 0; the Python test judges the report.
local t0 = vim.uv.hrtime()
local function ms()
  return math.floor((vim.uv.hrtime() - t0) / 1e6)
end

local spec = vim.json.decode(table.concat(vim.fn.readfile(assert(vim.env.AGENTLS_TEST_SPEC, 'AGENTLS_TEST_SPEC')), '\n'))
local report = { nvim = tostring(vim.version()), steps = {}, errors = {} }

local function write_report()
  local f = assert(io.open(spec.out, 'w'))
  f:write(vim.json.encode(report))
  f:close()
end

local function finish()
  report.steps.done_ms = ms()
  write_report()
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop()
  end
  -- is_stopped() turns true at once; wait until the client is gone so the server gets shutdown/exit
  vim.wait(3000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  report.clients_left = #vim.lsp.get_clients()
  write_report()
  vim.cmd('qa!')
end

local function diag_list(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = d.code, source = d.source, severity = d.severity, message = d.message,
    })
  end
  table.sort(out, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return out
end

local function request(bufnr, client, method, line, col)
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, 5000)
  if not res then
    return { error = tostring(err) }
  end
  local r = res[client.id]
  if not r then
    return { error = 'no response from agentls' }
  end
  if r.err then
    return { error = vim.inspect(r.err) }
  end
  return { result = r.result == nil and vim.NIL or r.result }
end

local function run()
  for key, value in pairs(spec.env or {}) do
    vim.env[key] = value
  end
  vim.opt.runtimepath:prepend(spec.rtp)
  if spec.config then
    vim.lsp.config('agentls', spec.config)
  end
  vim.lsp.enable('agentls')

  -- 1. which paths the shipped root_dir accepts (scratch buffers, no FileType, no client)
  local root_dir = vim.lsp.config.agentls.root_dir
  report.roots = {}
  for _, path in ipairs(spec.classify_paths or {}) do
    local buf = vim.api.nvim_create_buf(false, false)
    vim.api.nvim_buf_set_name(buf, path)
    local got = vim.NIL
    root_dir(buf, function(dir)
      got = dir
    end)
    table.insert(report.roots, { path = path, root = got })
    vim.api.nvim_buf_delete(buf, { force = true })
  end

  -- 1b. spec.missing = { files = {...}, later_path, later_file }: no agentls on PATH.
  -- Open each agent file, record what Neovim said (:messages) and whether a client
  -- started; then put agentls on PATH and open one more agent file.
  if spec.missing then
    local m = spec.missing
    report.missing = { clients = {} }
    for _, file in ipairs(m.files) do
      vim.cmd.edit(vim.fn.fnameescape(file))
      local buf = vim.api.nvim_get_current_buf()
      vim.wait(500, function() return #vim.lsp.get_clients({ bufnr = buf }) > 0 end, 20)
      table.insert(report.missing.clients, #vim.lsp.get_clients({ bufnr = buf, _uninitialized = true }))
    end
    report.missing.messages = vim.fn.execute('messages')
    vim.env.PATH = m.later_path .. ':' .. vim.env.PATH
    vim.cmd.edit(vim.fn.fnameescape(m.later_file))
    local buf = vim.api.nvim_get_current_buf()
    report.missing.later_attached = vim.wait(15000, function()
      return #vim.lsp.get_clients({ bufnr = buf, name = 'agentls' }) > 0
    end, 20)
    report.missing.later_messages = vim.fn.execute('messages')
    return
  end

  -- 2. open the agent file: the client must attach
  vim.cmd.edit(vim.fn.fnameescape(spec.agent_file))
  local bufnr = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[bufnr].filetype
  local attached = vim.wait(15000, function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = 'agentls' }) > 0
  end, 20)
  report.steps.attach_ms = ms()
  if not attached then
    table.insert(report.errors, 'agentls did not attach to ' .. spec.agent_file)
    return
  end
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'agentls' })[1]
  -- the server answers initialize asynchronously; wait for it
  vim.wait(15000, function()
    return client.initialized == true or client.server_capabilities ~= nil
  end, 20)
  report.client = {
    name = client.name,
    offset_encoding = client.offset_encoding,
    root_dir = client.root_dir or client.config.root_dir,
    server_info = client.server_info,
    cmd = type(client.config.cmd) == 'table' and client.config.cmd or type(client.config.cmd),
    server_argv = (function() -- the server process's command line, from /proc
      for _, pid in ipairs(vim.api.nvim_get_proc_children(vim.uv.os_getpid())) do
        local f = io.open('/proc/' .. pid .. '/cmdline', 'rb')
        if f then
          local argv = vim.split(f:read('*a'), '\0', { plain = true, trimempty = true })
          f:close()
          if argv[#argv] == 'serve' then return argv end
        end
      end
      return vim.NIL
    end)(),
    hover = client.server_capabilities and client.server_capabilities.hoverProvider and true or false,
    completion = client.server_capabilities and client.server_capabilities.completionProvider and true or false,
  }

  -- 3. diagnostics: wait until the expected number arrived and stayed for 300 ms
  local want = spec.expect_diagnostics or 1
  local stable_since
  vim.wait(15000, function()
    if #vim.diagnostic.get(bufnr) >= want then
      stable_since = stable_since or vim.uv.hrtime()
      return (vim.uv.hrtime() - stable_since) > 3e8
    end
    stable_since = nil
    return false
  end, 20)
  report.steps.diagnostics_ms = ms()
  report.diagnostics = diag_list(bufnr)

  -- 4. hover and completion, at byte positions given by the test
  if spec.hover then
    report.hover = request(bufnr, client, 'textDocument/hover', spec.hover[1], spec.hover[2])
  end
  if spec.completion then
    report.completion = request(bufnr, client, 'textDocument/completion', spec.completion[1], spec.completion[2])
  end
  report.steps.requests_ms = ms()

  -- 5. an edit before a finding: the finding must move by the edit's UTF-8 byte length
  if spec.edit then
    local e = spec.edit
    local before = nil
    for _, d in ipairs(diag_list(bufnr)) do
      if d.code == e.code and d.lnum == e.line then before = d.col end
    end
    vim.api.nvim_buf_set_text(bufnr, e.line, 0, e.line, 0, { e.text })
    vim.wait(10000, function()
      for _, d in ipairs(diag_list(bufnr)) do
        if d.code == e.code and d.lnum == e.line and d.col ~= before then return true end
      end
      return false
    end, 20)
    report.after_edit = diag_list(bufnr)
    report.edited_line = vim.api.nvim_buf_get_lines(bufnr, e.line, e.line + 1, false)[1]
    report.steps.edit_ms = ms()
  end

  -- 5b. spec.live: changes this buffer never sees, each of which must show in it without
  -- editing it (Neovim pulls diagnostics only on open and change). Steps, in order:
  --   { settings = {...} }                 workspace/didChangeConfiguration
  --   { open = path, line = n, text = s }  another agent file opened in a split, line n replaced (unsaved)
  --   { write = path, lines = {...} }      a file written on disk behind Neovim's back
  -- each with wait = { code, present, message = fragment or nil }; records ok and the diagnostics.
  if spec.live then
    report.live = {}
    for _, step in ipairs(spec.live) do
      if step.settings then
        client.settings = step.settings
        client:notify('workspace/didChangeConfiguration', { settings = step.settings })
      elseif step.open then
        local win = vim.api.nvim_get_current_win()
        vim.cmd.split(vim.fn.fnameescape(step.open))
        local other = vim.api.nvim_get_current_buf()
        vim.wait(15000, function()
          return #vim.lsp.get_clients({ bufnr = other, name = 'agentls' }) > 0
        end, 20)
        vim.api.nvim_buf_set_lines(other, step.line, step.line + 1, false, { step.text })
        vim.api.nvim_set_current_win(win)
      elseif step.write then
        vim.fn.writefile(step.lines, step.write)
      end
      local w = step.wait
      local ok = vim.wait(15000, function()
        for _, d in ipairs(vim.diagnostic.get(bufnr)) do
          if d.code == w.code and (w.message == nil or d.message:find(w.message, 1, true)) then
            return w.present
          end
        end
        return not w.present
      end, 20)
      table.insert(report.live, { ok = ok, diagnostics = diag_list(bufnr), ms = ms() })
    end
  end

  -- 6. a Markdown file outside the agent locations: no client, no diagnostics
  if spec.other_file then
    vim.cmd.edit(vim.fn.fnameescape(spec.other_file))
    local other = vim.api.nvim_get_current_buf()
    vim.wait(1000, function()
      return #vim.lsp.get_clients({ bufnr = other }) > 0
    end, 20)
    report.other = {
      filetype = vim.bo[other].filetype,
      clients = #vim.lsp.get_clients({ bufnr = other }),
      diagnostics = #vim.diagnostic.get(other),
    }
  end
end

vim.schedule(function()
  local ok, err = xpcall(run, debug.traceback)
  if not ok then
    table.insert(report.errors, tostring(err))
  end
  finish()
end)

-- watchdog: never hang the test run
vim.defer_fn(function()
  table.insert(report.errors, 'watchdog: gave up after 60 s')
  finish()
end, 60000)
