-- GET <prefix><id> with an id picked at random from a file (one id a line).
-- wrk ... -s get.lua <url> -- <ids file> <path prefix>
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local ids, prefix

function init(args)
  ids = read_lines(args[1])
  prefix = args[2]
  seed_random()
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end
