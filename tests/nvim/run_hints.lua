-- Headless Neovim 0.11 end-to-end test of the dry run, driven by tests/tests/neovim.rs:
-- opens a flow, runs `fdl.dryRun` through `workspace/executeCommand` (what a code lens or
-- a key mapping does), and reads the inlay hints Neovim then holds for the buffer. Prints
-- one JSON line and exits 0, or prints the failure and exits 1.

local fdl = os.getenv('FDL_BIN')
local flow = os.getenv('FDL_FLOW')

local function fail(msg)
  io.stdout:write('FAIL ' .. msg .. '\n')
  os.exit(1)
end

vim.cmd('filetype on')
vim.filetype.add({ pattern = { ['.*%.fdl%.yaml'] = 'yaml.fdl', ['.*%.flow%.yaml'] = 'yaml.fdl' } })
vim.lsp.config('fdl', { cmd = { fdl, 'lsp' }, filetypes = { 'yaml.fdl' }, root_markers = { '.git' } })
vim.lsp.enable('fdl')

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true,
  callback = function()
    local ok, err = pcall(function()
      vim.cmd('edit ' .. flow)
      local buf = vim.api.nvim_get_current_buf()
      local client
      if not vim.wait(10000, function()
        client = vim.lsp.get_clients({ bufnr = buf, name = 'fdl' })[1]
        return client ~= nil and client.initialized
      end, 50) then fail('fdl did not attach') end
      vim.lsp.inlay_hint.enable(true, { bufnr = buf })

      local resp = vim.lsp.buf_request_sync(buf, 'workspace/executeCommand', {
        command = 'fdl.dryRun',
        arguments = { { uri = vim.uri_from_bufnr(buf), input = { id = 1 } } },
      }, 10000)
      local result
      for _, r in pairs(resp or {}) do
        if r.err then fail('fdl.dryRun: ' .. vim.inspect(r.err)) end
        result = r.result
      end
      if not result then fail('no dry-run result') end

      -- The server asks Neovim to refresh its hints; Neovim then holds them.
      local hints = {}
      if not vim.wait(10000, function()
        hints = vim.lsp.inlay_hint.get({ bufnr = buf })
        return #hints >= 2
      end, 50) then fail('no inlay hints after the run: ' .. vim.inspect(hints)) end
      local labels = {}
      for _, h in ipairs(hints) do
        local label = h.inlay_hint.label
        if type(label) == 'table' then
          local parts = {}
          for _, p in ipairs(label) do table.insert(parts, p.value) end
          label = table.concat(parts)
        end
        table.insert(labels, { line = h.inlay_hint.position.line, label = label })
      end
      table.sort(labels, function(a, b) return a.line < b.line end)

      io.stdout:write(vim.json.encode({
        status = result.status,
        seconds = result.virtualSeconds,
        hints = labels,
      }) .. '\n')
      client:stop()
      vim.wait(2000, function() return client:is_stopped() end, 50)
    end)
    if not ok then fail(tostring(err)) end
    os.exit(0)
  end,
})
