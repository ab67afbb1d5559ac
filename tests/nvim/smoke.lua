-- Headless Neovim 0.11 end-to-end test of `fdl lsp`, driven by tests/tests/neovim.rs.
-- Opens a flow, waits for diagnostics, asks for completion after `TaskMode: `, edits the
-- buffer (incremental didChange) and waits for fresh diagnostics. Prints one JSON line of
-- results and exits 0, or prints the failure and exits 1.

local fdl = os.getenv('FDL_BIN')
local flow = os.getenv('FDL_FLOW')

local function fail(msg)
  io.stdout:write('FAIL ' .. msg .. '\n')
  os.exit(1)
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, d.code)
  end
  table.sort(out)
  return out
end

-- `-u` skips the defaults that turn filetype detection on; a normal setup has it.
vim.cmd('filetype on')

-- The configuration README.md gives, with the binary under test.
vim.filetype.add({ pattern = { ['.*%.fdl%.yaml'] = 'yaml.fdl', ['.*%.flow%.yaml'] = 'yaml.fdl' } })
vim.lsp.config('fdl', {
  cmd = { fdl, 'lsp' },
  filetypes = { 'yaml.fdl' },
  root_markers = { '.git' },
  settings = { fdl = { mode = 'standard' } },
})
vim.lsp.enable('fdl')

vim.api.nvim_create_autocmd('VimEnter', {
  -- Nested, so that opening the file inside this autocmd runs filetype detection.
  nested = true,
  callback = function()
    local ok, err = pcall(function()
      vim.cmd('edit ' .. flow)
      local buf = vim.api.nvim_get_current_buf()
      if vim.bo[buf].filetype ~= 'yaml.fdl' then fail('filetype is ' .. vim.bo[buf].filetype) end
      local client
      if not vim.wait(10000, function()
        client = vim.lsp.get_clients({ bufnr = buf, name = 'fdl' })[1]
        return client ~= nil and client.initialized
      end, 50) then fail('fdl did not attach') end

      -- 1. Diagnostics of the file as opened.
      if not vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
        fail('no diagnostics')
      end
      local first = codes(buf)

      -- 2. Completion after `TaskMode: `.
      local line_nr, col
      for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
        local at = line:find('TaskMode: ')
        if at then line_nr, col = i - 1, at - 1 + #'TaskMode: ' end
      end
      if not line_nr then fail('no TaskMode line in the fixture') end
      vim.api.nvim_buf_set_lines(buf, line_nr, line_nr + 1, false,
        { vim.api.nvim_buf_get_lines(buf, line_nr, line_nr + 1, false)[1]:sub(1, col) })
      local params = {
        textDocument = { uri = vim.uri_from_bufnr(buf) },
        position = { line = line_nr, character = col },
      }
      local resp = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 5000)
      local labels = {}
      for _, r in pairs(resp or {}) do
        local items = r.result and (r.result.items or r.result) or {}
        for _, item in ipairs(items) do table.insert(labels, item.label) end
      end
      table.sort(labels)

      -- 3. An edit that fixes the flow: a mode the service supports, then fresh diagnostics.
      vim.api.nvim_buf_set_lines(buf, line_nr, line_nr + 1, false,
        { vim.api.nvim_buf_get_lines(buf, line_nr, line_nr + 1, false)[1] .. 'RequestComplete' })
      if not vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 50) then
        fail('diagnostics did not clear after the fix: ' .. vim.json.encode(codes(buf)))
      end

      -- 4. Hover over the state name.
      local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
        textDocument = { uri = vim.uri_from_bufnr(buf) },
        position = { line = line_nr - 2, character = 10 },
      }, 5000)
      local hover_text = ''
      for _, r in pairs(hover or {}) do
        if r.result then hover_text = r.result.contents.value end
      end

      io.stdout:write(vim.json.encode({ first = first, completion = labels, hover = hover_text }) .. '\n')
      client:stop()
      vim.wait(2000, function() return client:is_stopped() end, 50)
    end)
    if not ok then fail(tostring(err)) end
    os.exit(0)
  end,
})
