# skip.sh: sourced by tool tests; require_tool NAME exits 77 (automake SKIP) when absent.
require_tool() {
	command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not installed"; exit 77; }
}
