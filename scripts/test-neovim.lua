-- Driven by scripts/test-neovim.sh: Neovim (0.7 and later) as a real client of
-- `oaslint lsp`. Opens $SPEC, waits for oaslint's diagnostics, checks the `no-body` one is
-- where the text says (Neovim converts the server's UTF-16 columns to bytes), asks for the
-- code actions at it, applies the preferred one (the fix) as Neovim applies edits, writes
-- the buffer, and waits until the diagnostic is gone. Exits with 0 when all held, 1 else.
local oaslint = os.getenv("OASLINT")
local spec = os.getenv("SPEC")

local function log(message)
  io.stdout:write("test-neovim: " .. message .. "\n")
end

local function main()
  vim.cmd("edit " .. vim.fn.fnameescape(spec))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "oaslint",
    cmd = { oaslint, "lsp" },
    root_dir = vim.fn.fnamemodify(spec, ":h"),
  })
  assert(client_id, "the client did not start")
  assert(vim.lsp.buf_attach_client(bufnr, client_id), "the client did not attach")
  local client = vim.lsp.get_client_by_id(client_id)

  local function no_body()
    for _, diagnostic in ipairs(vim.diagnostic.get(bufnr)) do
      if diagnostic.code == "no-body" then
        return diagnostic
      end
    end
  end
  assert(vim.wait(30000, function() return no_body() ~= nil end, 50), "no `no-body` diagnostic within 30 s")
  local diagnostic = no_body()
  log(string.format("diagnostic %s at %d:%d: %s", diagnostic.code, diagnostic.lnum + 1, diagnostic.col + 1,
    diagnostic.message:gsub("\n.*", "")))

  -- Where the text says: the `content` key of the 204 (byte column, after non-ASCII text).
  local line = vim.api.nvim_buf_get_lines(bufnr, diagnostic.lnum, diagnostic.lnum + 1, true)[1]
  local expected = line:find("content", 1, true)
  assert(expected and diagnostic.col == expected - 1,
    string.format("diagnostic at byte column %d of %q, expected %s", diagnostic.col, line, tostring(expected)))

  -- The code actions at the diagnostic, as the code action menu asks for them.
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local response = client.request_sync("textDocument/codeAction", params, 20000, bufnr)
  assert(response and response.result, "no answer to textDocument/codeAction: " .. vim.inspect(response))
  local chosen
  for _, action in ipairs(response.result) do
    log("offered: " .. action.title .. (action.isPreferred and " (preferred)" or ""))
    if action.isPreferred and not chosen then
      chosen = action
    end
  end
  assert(chosen, "no preferred code action")
  log("applying: " .. chosen.title)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd("write")

  assert(vim.wait(30000, function() return no_body() == nil end, 50), "the `no-body` diagnostic stayed")
  log("the diagnostic is gone after the fix")
  client.stop()
  assert(vim.wait(10000, function() return client.is_stopped() end, 50), "the server did not stop")
end

local ok, err = pcall(main)
if not ok then
  io.stderr:write("test-neovim: FAILED: " .. tostring(err) .. "\n")
  vim.cmd("cquit 1")
end
vim.cmd("qall!")
