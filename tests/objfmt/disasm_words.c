/* disasm_words.c - test driver: reads instructions as hex bytes, one per line (8 bytes,
 * or 16 for ld_imm64; anything after a tab is ignored) and prints objfmt_disasm_insn's
 * text for each, in the LLVM dialect or (with -m) the mnemonic dialect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/objfmt.h"

/* Parse up to 16 hex bytes; returns the number of instruction slots read (0 on error). */
static size_t parse_bytes(const char *line, struct objfmt_insn insns[2])
{
	unsigned char bytes[16];
	size_t count = 0;
	unsigned value;
	int used;

	while (count < sizeof(bytes) && *line != '\t' && *line != '\n' && *line != '\0') {
		if (sscanf(line, " %2x%n", &value, &used) != 1)
			return 0;
		bytes[count++] = (unsigned char)value;
		line += used;
	}
	if (count != 8 && count != 16)
		return 0;
	memcpy(insns, bytes, count);
	return count / 8;
}

int main(int argc, char **argv)
{
	enum objfmt_dialect dialect = OBJFMT_DIALECT_LLVM;
	struct objfmt_insn insns[2];
	char line[256], text[128];
	int status = 0;

	if (argc > 1 && strcmp(argv[1], "-m") == 0)
		dialect = OBJFMT_DIALECT_MNEMONIC;
	while (fgets(line, sizeof(line), stdin)) {
		struct objfmt_diag diag = { "", "" };
		size_t slots = parse_bytes(line, insns);

		if (slots == 0) {
			fprintf(stderr, "disasm_words: cannot parse: %s", line);
			return 2;
		}
		if (objfmt_disasm_insn(insns, slots, dialect, text, sizeof(text), &diag) < 0) {
			printf("<invalid: %s>\n", diag.message);
			status = 1;
			continue;
		}
		printf("%s\n", text);
	}
	return status;
}
