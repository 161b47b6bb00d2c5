-- The URL given to wrk, every time (list pages); only adds the JSON report.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")
