# csvcol.awk - print column `want` of every data row of an mmbench CSV.
# Needs csv.awk: awk -f scripts/csv.awk -f scripts/csvcol.awk -v want=NAME FILE
NR == 1 {
	n = split_csv($0, h)
	for (i = 1; i <= n; i++) if (h[i] == want) col = i
	if (!col) { print "no column " want > "/dev/stderr"; exit 1 }
	next
}
{ split_csv($0, f); print f[col] }
