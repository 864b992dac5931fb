-- Run by tests/it/lsp.rs in `nvim --headless --clean` on an open note: starts
-- `vaultkit lsp` with Neovim's own client, waits for the note's diagnostics,
-- jumps to the definition of the link on line 9, and writes the file and
-- line it landed on and the diagnostics count to $VAULTKIT_OUT.
local bin, root, out = os.getenv('VAULTKIT_BIN'), os.getenv('VAULTKIT_ROOT'), os.getenv('VAULTKIT_OUT')

local function finish(text)
  local file = assert(io.open(out, 'w'))
  file:write(text)
  file:close()
  vim.cmd('qall!')
end

local config = {
  name = 'vaultkit',
  cmd = { bin, 'lsp' },
  root_dir = root,
}

local note = vim.api.nvim_get_current_buf()
if vim.lsp.start then
  vim.lsp.start(config)
else -- Neovim before 0.8
  vim.lsp.buf_attach_client(note, vim.lsp.start_client(config))
end
-- Waited for in Neovim's store, whether they were pushed (Neovim before
-- 0.10) or pulled (later ones, which the server then does not push to).
if not vim.wait(20000, function() return #vim.diagnostic.get(note) > 0 end, 10) then
  return finish('timeout: no diagnostics\n')
end
local count = #vim.diagnostic.get(note)

vim.api.nvim_win_set_cursor(0, { 9, 10 })
vim.lsp.buf.definition()
if not vim.wait(20000, function() return vim.api.nvim_get_current_buf() ~= note end, 10) then
  return finish('timeout: no jump\n')
end
finish(string.format('%s\n%d\n%d\n', vim.api.nvim_buf_get_name(0), vim.api.nvim_win_get_cursor(0)[1], count))
