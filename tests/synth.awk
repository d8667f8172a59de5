# synth.awk - make a results CSV with a process-level structure from the
# sweep fixture: for every data row whose backend is mmap or read and whose
# workload is seqread at the smallest block (the templates), write `procs`
# processes of `reps` rows each.  Process p gets its own offset,
#   mib_per_s = template * factor * (1 + proc_cv * z_p) * (1 + cv * z_k),
# z_p from a low-discrepancy sequence started at `phase` (two phases give
# two different sets of process offsets), z_k evenly spaced in [-1.5, 1.5]:
# deterministic, so a test cannot flake, yet shaped like real runs, where
# processes differ far more than the repetitions inside one.
# Variables: procs (default 1), reps, factor, cv, proc_cv, phase,
# cold_factor (factor for cache=cold rows), host, tag (run_id prefix).
# Needs scripts/csv.awk loaded first.
function join(f, n,    s, i) { s = f[1]; for (i = 2; i <= n; i++) s = s "," f[i]; return s }
function frac(x) { return x - int(x) }
BEGIN { if (procs == "") procs = 1; if (tag == "") tag = "synth" }
NR == 1 { nf = split_csv($0, h); for (i = 1; i <= nf; i++) col[h[i]] = i; print; next }
{
	split_csv($0, f)
	if (f[col["workload"]] != "seqread" || f[col["block_size"]] != 4096) next
	if (f[col["backend"]] != "mmap" && f[col["backend"]] != "read") next
	key = f[col["backend"]] f[col["cache"]]
	if (seen[key]++) next
	ntemplates++
	for (i = 1; i <= nf; i++) tpl[ntemplates, i] = f[i]
}
END {
	for (p = 0; p < procs; p++) {
		zp = procs > 1 ? (frac(phase + p * 0.6180339887) - 0.5) * 3.4 : 0
		for (t = 1; t <= ntemplates; t++) {
			for (i = 1; i <= nf; i++) f[i] = tpl[t, i]
			fac = f[col["cache"]] == "cold" && cold_factor != "" ? cold_factor : factor
			base = f[col["mib_per_s"]]
			for (k = 0; k < reps; k++) {
				z = reps > 1 ? -1.5 + 3 * k / (reps - 1) : 0
				v = base * fac * (1 + proc_cv * zp) * (1 + cv * z)
				f[col["mib_per_s"]] = sprintf("%.4f", v)
				f[col["elapsed_ns"]] = sprintf("%d", f[col["bytes"]] / 1048576 / v * 1e9)
				f[col["rep"]] = k + 1
				f[col["run_id"]] = tag "-" p
				if (host != "") f[col["host"]] = host
				print join(f, nf)
			}
		}
	}
}
