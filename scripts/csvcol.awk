# csvcol.awk - print column `want` of every data row of an mmbench CSV.
# Portable awk (mawk has no FPAT): splits quoted fields by hand.
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
NR == 1 {
	n = split_csv($0, h)
	for (i = 1; i <= n; i++) if (h[i] == want) col = i
	if (!col) { print "no column " want > "/dev/stderr"; exit 1 }
	next
}
{ split_csv($0, f); print f[col] }
