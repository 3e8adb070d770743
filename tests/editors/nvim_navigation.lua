-- Headless Neovim driving agentls's navigation: definition, references, rename (the
-- workspace edit applied by Neovim itself) and formatting (vim.lsp.buf.format).
-- Usage: AGENTLS_TEST_SPEC=spec.json nvim --headless --clean -u nvim_navigation.lua
-- spec.json: { rtp, out, lead_file, format_file, definition = {line, col},
--              references = {line, col}, rename = {line, col, new_name} }
-- Lines and columns are 0-based byte positions. Writes a JSON report to spec.out.
local spec = vim.json.decode(table.concat(vim.fn.readfile(assert(vim.env.AGENTLS_TEST_SPEC, 'AGENTLS_TEST_SPEC')), '\n'))
local report = { errors = {} }

local function write_report()
  local f = assert(io.open(spec.out, 'w'))
  f:write(vim.json.encode(report))
  f:close()
end

local function finish()
  write_report()
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop()
  end
  vim.wait(3000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  report.clients_left = #vim.lsp.get_clients()
  write_report()
  vim.cmd('qa!')
end

local function attach(file)
  vim.cmd.edit(vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local ok = vim.wait(15000, function()
    return #vim.lsp.get_clients({ bufnr = bufnr, name = 'agentls' }) > 0
  end, 20)
  if not ok then
    table.insert(report.errors, 'agentls did not attach to ' .. file)
    return nil
  end
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'agentls' })[1]
  vim.wait(15000, function()
    return client.initialized == true or client.server_capabilities ~= nil
  end, 20)
  return bufnr, client
end

local function request(bufnr, client, method, pos, extra)
  vim.api.nvim_win_set_cursor(0, { pos[1] + 1, pos[2] })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  for k, v in pairs(extra or {}) do
    params[k] = v
  end
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
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

local function locations(result)
  local out = {}
  if type(result) ~= 'table' then
    return out
  end
  if result.uri then
    result = { result }
  end
  for _, loc in ipairs(result) do
    local path = vim.uri_to_fname(loc.uri or loc.targetUri)
    local range = loc.range or loc.targetSelectionRange
    local buf = vim.fn.bufadd(path)
    vim.fn.bufload(buf)
    local line = vim.api.nvim_buf_get_lines(buf, range.start.line, range.start.line + 1, false)[1] or ''
    -- the text the range covers (one line), in bytes: what Neovim would highlight
    table.insert(out, { file = vim.fn.fnamemodify(path, ':t'), line = range.start.line,
                        text = line:sub(range.start.character + 1, range['end'].character) })
  end
  table.sort(out, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    return a.line < b.line
  end)
  return out
end

local function run()
  vim.opt.runtimepath:prepend(spec.rtp)
  vim.lsp.enable('agentls')
  local bufnr, client = attach(spec.lead_file)
  if not bufnr then
    return
  end
  report.offset_encoding = client.offset_encoding
  -- the workspace scan must be done before cross-file answers are complete
  vim.wait(300)

  local got = request(bufnr, client, 'textDocument/definition', spec.definition)
  report.definition = got.error and { error = got.error } or locations(got.result)

  got = request(bufnr, client, 'textDocument/references', spec.references,
    { context = { includeDeclaration = true } })
  report.references = got.error and { error = got.error } or locations(got.result)

  got = request(bufnr, client, 'textDocument/rename', spec.rename, { newName = spec.rename[3] })
  if got.error then
    report.rename = { error = got.error }
  else
    vim.lsp.util.apply_workspace_edit(got.result, client.offset_encoding)
    report.rename = {}
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      local name = vim.api.nvim_buf_get_name(buf)
      if name ~= '' and vim.api.nvim_buf_is_loaded(buf) then
        report.rename[vim.fn.fnamemodify(name, ':t')] = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
      end
    end
  end

  local fbuf = attach(spec.format_file)
  if fbuf then
    vim.lsp.buf.format({ bufnr = fbuf, async = false, timeout_ms = 10000 })
    report.formatted = table.concat(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false), '\n')
  end
end

vim.defer_fn(function()
  table.insert(report.errors, 'watchdog: the driver took over 60 s')
  finish()
end, 60000)

vim.schedule(function()
  local ok, err = pcall(run)
  if not ok then
    table.insert(report.errors, tostring(err))
  end
  finish()
end)
