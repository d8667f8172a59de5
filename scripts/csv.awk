# csv.awk - split_csv(line, out): split one CSV line into out[1..n] and
# return n.  Portable awk (Debian's default mawk has no FPAT), quoted fields
# with doubled quotes handled.  Load it before a program: awk -f csv.awk -f ...
function split_csv(line, out,    n, i, c, field, quoted) {
	n = 0; field = ""; quoted = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (quoted) {
			if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field c; i++ }
			else if (c == "\"") quoted = 0
			else field = field c
		} else if (c == "\"") quoted = 1
		else if (c == ",") { out[++n] = field; field = "" }
		else field = field c
	}
	out[++n] = field
	return n
}
