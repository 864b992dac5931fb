-- Run by tests/it/lsp.rs in `nvim --headless` started with the setup block
-- of docs/lsp.md as its init.lua, on an open note: waits for the note's
-- diagnostics, counts the references to the note, jumps to the definition
-- of the link on line 9, and writes the file and line it landed on, the
-- diagnostics count and the references count to $VAULTKIT_OUT.
local out = os.getenv('VAULTKIT_OUT')

local function finish(text)
  local file = assert(io.open(out, 'w'))
  file:write(text)
  file:close()
  vim.cmd('qall!')
end

local note = vim.api.nvim_get_current_buf()
local function attached()
  if vim.lsp.get_clients then -- Neovim 0.10 and later
    return #vim.lsp.get_clients({ bufnr = note }) > 0
  end
  return not vim.tbl_isempty(vim.lsp.buf_get_clients(note))
end
if not vim.wait(20000, attached, 10) then
  return finish('timeout: the setup started no server for the note\n')
end
-- Waited for in Neovim's store, whether they were pushed (Neovim before
-- 0.10) or pulled (later ones, which the server then does not push to).
if not vim.wait(20000, function() return #vim.diagnostic.get(note) > 0 end, 10) then
  return finish('timeout: no diagnostics\n')
end
local count = #vim.diagnostic.get(note)

local params = vim.lsp.util.make_position_params(0, 'utf-16')
params.context = { includeDeclaration = false }
local answers = vim.lsp.buf_request_sync(note, 'textDocument/references', params, 20000) or {}
local references = 0
for _, answer in pairs(answers) do
  references = references + #(answer.result or {})
end

vim.api.nvim_win_set_cursor(0, { 9, 10 })
vim.lsp.buf.definition()
if not vim.wait(20000, function() return vim.api.nvim_get_current_buf() ~= note end, 10) then
  return finish('timeout: no jump\n')
end
finish(string.format('%s\n%d\n%d\n%d\n', vim.api.nvim_buf_get_name(0), vim.api.nvim_win_get_cursor(0)[1], count, references))
