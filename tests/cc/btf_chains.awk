# btf_chains.awk - a `bpftool btf dump` (given twice) as one line per struct or union
# member, function return value and parameter, and variable, with the chain of types
# it names ("PTR -> TYPE_TAG 'kptr' -> STRUCT 'foo'"): comparable across compilers.
function chain(id,   k) {
	if (id == 0) return "void"
	k = kind[id]
	if (k == "PTR" || k == "TYPE_TAG" || k == "CONST" || k == "VOLATILE" || k == "TYPEDEF" || k == "RESTRICT")
		return k " " name[id] " -> " chain(ref[id])
	return k " " name[id]
}
NR == FNR {
	if ($1 ~ /^\[/) {
		cur = $1; gsub(/[][]/, "", cur); kind[cur] = $2; name[cur] = $3; order[++n] = cur
		for (i = 4; i <= NF; i++) if ($i ~ /^(ret_)?type_id=/) { v = $i; sub(/^(ret_)?type_id=/, "", v); sub(/,/, "", v); ref[cur] = v }
		nm[cur] = 0
	} else {
		v = ""; for (i = 2; i <= NF; i++) if ($i ~ /^type_id=/) { v = $i; sub(/type_id=/, "", v) }
		mem[cur, ++nm[cur]] = $1 " " v
	}
	next
}
END {
	for (j = 1; j <= n; j++) {
		id = order[j]; k = kind[id]
		if (k == "STRUCT" || k == "UNION")
			for (m = 1; m <= nm[id]; m++) { split(mem[id, m], f, " "); print k, name[id], f[1] ":", chain(f[2]) }
		if (k == "VAR") print "VAR", name[id] ":", chain(ref[id])
		if (k == "FUNC") { p = ref[id]; print "FUNC", name[id], "returns", chain(ref[p])
			for (m = 1; m <= nm[p]; m++) { split(mem[p, m], f, " "); print "FUNC", name[id], f[1] ":", chain(f[2]) } }
	}
}
