-- agentls: language server for agent Markdown files (Claude Code subagents, skills,
-- commands). Neovim 0.11+:
--
--   vim.opt.runtimepath:append('/path/to/agentls/editors/nvim')  -- or copy this file
--   vim.lsp.enable('agentls')                                    -- into ~/.config/nvim/lsp/
--
-- The client starts only for Markdown buffers in agent locations (the same rules as
-- the server's `agentls.core.paths.classify`):
--   .claude/agents/**/*.md and a plugin's agents/**/*.md     (subagents)
--   .claude/commands/**/*.md and a plugin's commands/**/*.md (slash commands)
--   **/skills/<name>/SKILL.md                                (skills)
-- Other Markdown files get no client at all: `root_dir` never calls `on_dir` for them.
-- Without `agentls` on PATH, the first agent file says so (once per session, with how
-- to install it) and gets no client; set `cmd = { '/path/to/agentls', 'serve' }` to
-- run it from elsewhere.
--
-- Settings (all optional) go in `settings.agentls` (sent with
-- workspace/didChangeConfiguration and answered on workspace/configuration) or in
-- `init_options`:
--   vim.lsp.config('agentls', { settings = { agentls = {
--     rules = { AGT502 = 'off', ['unknown-model'] = 'error' },
--     extendTools = { 'MyMcpTool' }, extendModels = {}, extendColors = {}, extendKeys = {},
--   } } })

local DOC_NAMES = { ['readme.md'] = true, ['changelog.md'] = true, ['contributing.md'] = true, ['license.md'] = true }

--- Index of the last `name` in `list[first..last]`, or nil.
local function last_index(list, name, first, last)
  for i = last, first, -1 do
    if list[i] == name then
      return i
    end
  end
  return nil
end

--- 'agent', 'skill', 'command' or nil for a file path.
local function agent_kind(path)
  path = path:gsub('\\', '/')
  local parts = vim.split(path, '/', { plain = true, trimempty = true })
  local name = table.remove(parts)
  if not name or not name:lower():match('.%.md$') then
    return nil
  end
  if name == 'SKILL.md' and #parts >= 2 and last_index(parts, 'skills', 1, #parts - 1) then
    return 'skill'
  end
  if DOC_NAMES[name:lower()] then
    return nil
  end
  for _, entry in ipairs({ { 'agents', 'agent' }, { 'commands', 'command' } }) do
    local i = last_index(parts, entry[1], 1, #parts)
    if i then
      -- an agents/ or commands/ folder inside a skill is the skill's resource, but a
      -- .claude/agents folder is Claude Code's wherever it is (even under a `skills` repo)
      if parts[i - 1] ~= '.claude' and last_index(parts, 'skills', 1, i - 1) then
        return nil
      end
      return entry[2]
    end
  end
  return nil
end

--- The workspace root for an agent file: its git repository, else the folder that
--- holds `.claude` (a user's own ~/.claude stands alone), else the plugin folder,
--- else the file's folder.
local function root_for(path)
  local home = vim.fs.normalize(vim.uv.os_homedir() or '~')
  local git = vim.fs.root(path, '.git')
  if git and git ~= home then
    return git
  end
  local above_claude = path:match('^(.*)/%.claude/')
  if above_claude then
    if above_claude == home then
      return home .. '/.claude'
    end
    return above_claude ~= '' and above_claude or '/'
  end
  return vim.fs.root(path, '.claude-plugin') or vim.fs.dirname(path)
end

--- The server command when `cmd` is not overridden.
local SERVER_CMD = { 'agentls', 'serve' }

--- `cmd` is a function, not `SERVER_CMD` itself: Neovim skips a config whose `cmd[1]`
--- is not executable without a word (only lsp.log and :checkhealth say it), before
--- `root_dir` runs. As a function it lets `root_dir` tell the user once.
local function start_server(dispatchers, config)
  config = config or {} -- Neovim < 0.11.2 passes only the dispatchers
  return vim.lsp.rpc.start(SERVER_CMD, dispatchers, {
    cwd = config.cmd_cwd,
    env = config.cmd_env,
    detached = config.detached,
  })
end

--- True if the shipped command is in use and its program cannot be run; says so once
--- per session, with how to install it.
local function server_missing()
  local config = vim.lsp.config.agentls
  if not config or config.cmd ~= start_server or vim.fn.executable(SERVER_CMD[1]) == 1 then
    return false
  end
  vim.notify_once(
    '[agentls] `agentls` is not on PATH, so agent files get no diagnostics. Install the server from a '
      .. 'clone of the agentls repository (`pipx install ./agentls` or `python3 -m pip install ./agentls`), '
      .. "or set its command: vim.lsp.config('agentls', { cmd = { '/path/to/venv/bin/agentls', 'serve' } })",
    vim.log.levels.WARN
  )
  return true
end

---@type vim.lsp.Config
return {
  cmd = start_server,
  filetypes = { 'markdown' },
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if name == '' or vim.bo[bufnr].buftype ~= '' then
      return
    end
    local path = vim.fs.normalize(vim.fn.fnamemodify(name, ':p'))
    if agent_kind(path) and not server_missing() then
      on_dir(root_for(path))
    end
  end,
}
