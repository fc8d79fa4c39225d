# cpp_tokens.awk - preprocessed C text to one token per line, whitespace ignored and
# `# N "file"` line markers dropped, so two preprocessors' outputs compare by tokens.
/^# [0-9]+ "/ { next }
{
	s = $0
	while (s != "") {
		if (match(s, /^[ \t\r\f\v]+/)) {
			s = substr(s, RLENGTH + 1)
			continue
		}
		if (match(s, /^(L|u8|u|U)?"([^"\\]|\\.)*"/) ||
		    match(s, /^(L|u|U)?'([^'\\]|\\.)*'/) ||
		    match(s, /^\.?[0-9]([eEpP][-+]|[0-9A-Za-z_.$])*/) ||
		    match(s, /^[A-Za-z_$][A-Za-z0-9_$]*/) ||
		    match(s, /^(\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*\/%&|^]=|##)/) ||
		    match(s, /^./)) {
			print substr(s, 1, RLENGTH)
			s = substr(s, RLENGTH + 1)
		}
	}
}
