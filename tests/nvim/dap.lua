-- nvim-dap against `fdl dap` (tests/tests/neovim_dap.rs): loads nvim-dap from
-- $FDL_NVIM_DAP and README's configuration from $FDL_DAP_CONFIG, sets a breakpoint on a
-- state, starts the first configuration, reads the stack and $Input where it stops, then
-- continues to the end. Prints one JSON line with what it saw.
vim.opt.runtimepath:prepend(os.getenv('FDL_NVIM_DAP'))
local result = { stops = {} }
local function finish(code)
  io.stdout:write(vim.json.encode(result) .. '\n')
  os.exit(code)
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok, err = pcall(function()
      dofile(os.getenv('FDL_DAP_CONFIG'))
      local dap = require('dap')
      -- The configuration asks for the input; answer as a user would.
      vim.fn.input = function() return '{"amount": 5}' end
      vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('FDL_FLOW')))
      vim.bo.filetype = 'yaml.fdl'
      local buf = vim.api.nvim_get_current_buf()
      require('dap.breakpoints').set({}, buf, tonumber(os.getenv('FDL_LINE')))
      dap.listeners.after.event_stopped['fdl-test'] = function(session, body)
        session:request('stackTrace', { threadId = 1 }, function(_, trace)
          local names = {}
          for _, f in ipairs(trace.stackFrames) do table.insert(names, f.name .. '@' .. f.line) end
          session:request('scopes', { frameId = trace.stackFrames[1].id }, function(_, scopes)
            session:request('variables', { variablesReference = scopes.scopes[1].variablesReference }, function(_, vars)
              local input
              for _, v in ipairs(vars.variables) do
                if v.name == '$Input' then input = v.value end
              end
              table.insert(result.stops, { reason = body.reason, stack = names, input = input })
              dap.continue()
            end)
          end)
        end)
      end
      dap.listeners.after.event_exited['fdl-test'] = function(_, body) result.exitCode = body.exitCode end
      dap.listeners.after.event_terminated['fdl-test'] = function() vim.schedule(function() finish(0) end) end
      dap.run(dap.configurations['yaml.fdl'][1])
    end)
    if not ok then
      result.error = tostring(err)
      finish(1)
    end
    vim.defer_fn(function()
      result.error = 'timed out'
      finish(1)
    end, 20000)
  end,
})
