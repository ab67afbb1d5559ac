-- Headless Neovim test of the `:FdlDryRun` command README.md documents, driven by
-- tests/tests/neovim.rs: $FDL_SNIPPET is that snippet, cut out of README.md. Runs the dry
-- run of the flow, checks the scratch buffer and the inlay hints, prints one JSON line.

local fdl = os.getenv('FDL_BIN')
local flow = os.getenv('FDL_FLOW')

local function fail(msg)
  io.stdout:write('FAIL ' .. msg .. '\n')
  os.exit(1)
end

vim.cmd('filetype on')
vim.filetype.add({ pattern = { ['.*%.fdl%.yaml'] = 'yaml.fdl' } })
vim.lsp.config('fdl', { cmd = { fdl, 'lsp' }, filetypes = { 'yaml.fdl' }, root_markers = { '.git' } })
vim.lsp.enable('fdl')
dofile(os.getenv('FDL_SNIPPET'))

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true,
  callback = function()
    local ok, err = pcall(function()
      vim.cmd('edit ' .. flow)
      local buf = vim.api.nvim_get_current_buf()
      if not vim.wait(10000, function()
        local c = vim.lsp.get_clients({ bufnr = buf, name = 'fdl' })[1]
        return c ~= nil and c.initialized
      end, 50) then fail('fdl did not attach') end
      vim.cmd('FdlDryRun {"n": 1}')
      local out
      if not vim.wait(10000, function()
        for _, b in ipairs(vim.api.nvim_list_bufs()) do
          if vim.b[b].fdl_dry_run then out = b end
        end
        return out ~= nil
      end, 50) then fail('no result buffer') end
      local lines = vim.api.nvim_buf_get_lines(out, 0, -1, false)
      local hints = {}
      if not vim.wait(10000, function()
        hints = vim.lsp.inlay_hint.get({ bufnr = buf })
        return #hints > 0
      end, 50) then fail('no inlay hints') end
      io.stdout:write(vim.json.encode({ first = lines[1], lines = #lines, hints = #hints }) .. '\n')
    end)
    if not ok then fail(tostring(err)) end
    os.exit(0)
  end,
})
