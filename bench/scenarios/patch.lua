-- PATCH <prefix><id> with a fixed JSON body, on an id picked at random from a file.
-- wrk ... -s patch.lua <url> -- <ids file> <path prefix> <body file>
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local ids, prefix

function init(args)
  ids = read_lines(args[1])
  prefix = args[2]
  wrk.method = "PATCH"
  wrk.body = read_file(args[3])
  wrk.headers["Content-Type"] = "application/json"
  seed_random()
end

function request()
  return wrk.format(nil, prefix .. ids[math.random(#ids)])
end
