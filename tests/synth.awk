# synth.awk - make a results CSV with controlled distributions from the
# sweep fixture: for every data row whose backend is mmap or read and whose
# workload is seqread at the smallest block (the templates), write n rows
# with mib_per_s = template * factor * (1 + cv * z_k), z_k evenly spaced
# in [-1.5, 1.5] (mean 0, sd about 1), and elapsed_ns scaled inversely.
# Variables: n, factor, cv, cold_factor (factor for cache=cold rows), host.
# Needs scripts/csv.awk loaded first.
function join(f, n,    s, i) { s = f[1]; for (i = 2; i <= n; i++) s = s "," f[i]; return s }
NR == 1 { nf = split_csv($0, h); for (i = 1; i <= nf; i++) col[h[i]] = i; print; next }
{
	split_csv($0, f)
	if (f[col["workload"]] != "seqread" || f[col["block_size"]] != 4096) next
	if (f[col["backend"]] != "mmap" && f[col["backend"]] != "read") next
	key = f[col["backend"]] f[col["cache"]]
	if (seen[key]++) next
	fac = f[col["cache"]] == "cold" && cold_factor != "" ? cold_factor : factor
	base = f[col["mib_per_s"]]
	for (k = 0; k < n; k++) {
		z = n > 1 ? -1.5 + 3 * k / (n - 1) : 0
		v = base * fac * (1 + cv * z)
		f[col["mib_per_s"]] = sprintf("%.4f", v)
		f[col["elapsed_ns"]] = sprintf("%d", f[col["bytes"]] / 1048576 / v * 1e9)
		f[col["rep"]] = k + 1
		if (host != "") f[col["host"]] = host
		print join(f, nf)
	}
}
